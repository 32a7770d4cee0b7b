/* opcodes.c - run's loop dispatches on a program of byte codes (a switch
   GCC compiles to a jump table). In training ops 0, 1, 3 and 5 ran often
   (HOT), op 2 rarely (RARE: 2 of every 1000), op 4 never (NEVER: the
   outline pass sends it to .cold); the tail ran once per call (TAIL). Op 2
   calls mix, as op 1 does (MIX): a block that calls a hot function is not
   outlined, however rarely it ran; and it falls through into op 3's code,
   as an interpreter's opcodes do. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) unsigned mix(unsigned a, unsigned b)
{
	return (a ^ (b >> 5)) * 0x9e3779b1u + b; /* MIX */
}

__attribute__((noinline)) unsigned run(const unsigned char *code, int n, unsigned x)
{
	unsigned acc = x, aux = 7; /* ENTRY */
	for (int pc = 0; pc < n; pc++) { /* LOOP */
		switch (code[pc]) { /* LOOP */
		case 0:
			acc = acc * 5u + aux; /* HOT */
			break;
		case 1:
			aux = mix(aux, acc) ^ (acc >> 3); /* HOT */
			acc += aux & 31u; /* HOT */
			break;
		case 2:
			aux = aux * 22695477u + 1u; /* RARE */
			acc ^= mix(aux, acc) >> 11; /* RARE */
			aux ^= acc * 0x2545f491u; /* RARE */
			acc = (acc >> 17) | (aux << 15); /* RARE */
			aux -= acc * 0x6c078965u; /* RARE */
			/* fall through */
		case 3:
			acc = (acc << 11) | (acc >> 21); /* HOT */
			aux = aux * 1664525u + acc; /* HOT */
			acc ^= (aux >> 15) * 0x2c1b3c6du; /* HOT */
			aux += (acc << 3) ^ (acc >> 19); /* HOT */
			acc -= aux * 0x297a2d39u; /* HOT */
			break;
		case 4:
			acc = acc * 0x5bd1e995u - (aux >> 7); /* NEVER */
			aux ^= acc > aux ? acc >> 9 : aux << 3; /* NEVER */
			break;
		default:
			aux -= acc; /* HOT */
			break;
		}
	}
	return aux ^ acc; /* TAIL */
}

/* opcodes [ROUNDS [4]]: run on 1000 byte codes ROUNDS times (default 100);
   a second argument makes the first code op 4. */
int main(int argc, char **argv)
{
	static const unsigned char ops[8] = {0, 1, 5, 3, 0, 1, 5, 0};
	unsigned char prog[1000];
	unsigned sum = 0;
	int rounds = argc > 1 ? atoi(argv[1]) : 100;
	for (int at = 0; at < 1000; at++)
		prog[at] = at % 500 == 499 ? 2 : ops[at % 8];
	if (argc > 2)
		prog[0] = 4;
	while (rounds-- > 0)
		sum = sum * 31u + run(prog, 1000, sum);
	printf("%u\n", sum);
	return 0;
}
