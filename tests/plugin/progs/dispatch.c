/* dispatch.c - run's loop dispatches on a program of byte codes (a switch
   GCC compiles to a jump table); training ran ops 0, 1 and 5 (HOT) and 3
   (WARM) often, 2 and 4 rarely (RARE), the tail once per call (TAIL). */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) unsigned run(const unsigned char *code, int n, unsigned x)
{
	unsigned acc = x, aux = 1; /* ENTRY */
	for (int pc = 0; pc < n; pc++) { /* LOOP */
		switch (code[pc]) { /* LOOP */
		case 0:
			acc += aux * 3u; /* HOT */
			break;
		case 1:
			acc ^= acc >> 7; /* HOT */
			aux += acc & 15u; /* HOT */
			break;
		case 2:
			acc = acc * 1103515245u + 12345u; /* RARE */
			aux ^= acc >> 16; /* RARE */
			acc ^= aux * 0x85ebca6bu; /* RARE */
			aux = (aux << 3) | (acc >> 29); /* RARE */
			acc += aux * 0xc2b2ae35u; /* RARE */
			aux -= acc >> 11; /* RARE */
			break;
		case 3:
			acc = (acc << 5) | (acc >> 27); /* WARM */
			aux = aux * 69069u + acc; /* WARM */
			acc ^= aux >> 9; /* WARM */
			break;
		case 4:
			aux = aux * 2654435761u + (acc >> 3); /* RARE */
			acc ^= (aux << 13) | (aux >> 19); /* RARE */
			aux += acc * 2246822519u; /* RARE */
			acc -= aux >> 7; /* RARE */
			aux ^= (acc << 5) + 0x9e3779b9u; /* RARE */
			break;
		default:
			acc -= aux; /* HOT */
			break;
		}
	}
	return acc ^ aux; /* TAIL */
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 100;
	static const unsigned char pattern[16] = {0, 1, 5, 0, 1, 5, 3, 0, 1, 5, 0, 1, 5, 3, 0, 2};
	unsigned char *code = malloc(1000);
	unsigned r = 0;
	for (int i = 0; i < 1000; i++)
		code[i] = i % 250 == 249 ? 4 : pattern[i % 16];
	for (int k = 0; k < rounds; k++)
		r += run(code, 1000, r);
	printf("%u\n", r);
	free(code);
	return 0;
}
