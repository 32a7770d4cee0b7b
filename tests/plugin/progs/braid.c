/* braid.c: a checksum shaped like zlib's crc32_z (tests/plugin/cold_loop.t):
   entered rarely, a hot braided loop, and the rare code around it
   (the alignment prologue, the braids' combination after the loop, the
   tail bytes). */
#include <stdio.h>
#include <stdlib.h>

static unsigned tab[8][256];

static unsigned word(unsigned long long d)
{
	for (int k = 0; k < 8; k++) /* COMBINE */
		d = (d >> 8) ^ tab[0][d & 0xff]; /* COMBINE */
	return (unsigned)d; /* COMBINE */
}

__attribute__((noinline)) unsigned sum(unsigned c, const unsigned char *buf, unsigned long len)
{
	if (buf == NULL) /* ENTRY */
		return 0; /* NEVER */
	c = ~c; /* ENTRY */
	if (len >= 64) { /* ENTRY */
		while (len && ((unsigned long)buf & 7)) { /* ENTRY */
			len--; /* ALIGN */
			c = (c >> 8) ^ tab[0][(c ^ *buf++) & 0xff]; /* ALIGN */
		}
		unsigned long blks = len / 32; /* ENTRY */
		len -= blks * 32; /* ENTRY */
		const unsigned long long *w = (const void *)buf; /* ENTRY */
		unsigned long long c0 = c, c1 = 0, c2 = 0, c3 = 0; /* ENTRY */
		while (--blks) { /* LOOP-TEST */
			unsigned long long w0 = c0 ^ w[0], w1 = c1 ^ w[1]; /* LOOP */
			unsigned long long w2 = c2 ^ w[2], w3 = c3 ^ w[3]; /* LOOP */
			w += 4; /* LOOP */
			c0 = tab[0][w0 & 0xff]; /* LOOP */
			c1 = tab[0][w1 & 0xff]; /* LOOP */
			c2 = tab[0][w2 & 0xff]; /* LOOP */
			c3 = tab[0][w3 & 0xff]; /* LOOP */
			for (int k = 1; k < 8; k++) { /* LOOP */
				c0 ^= tab[k][(w0 >> (k << 3)) & 0xff]; /* LOOP */
				c1 ^= tab[k][(w1 >> (k << 3)) & 0xff]; /* LOOP */
				c2 ^= tab[k][(w2 >> (k << 3)) & 0xff]; /* LOOP */
				c3 ^= tab[k][(w3 >> (k << 3)) & 0xff]; /* LOOP */
			}
		}
		c = word(c0 ^ w[0]); /* ENTRY */
		c = word(c1 ^ w[1] ^ c); /* ENTRY */
		c = word(c2 ^ w[2] ^ c); /* ENTRY */
		c = word(c3 ^ w[3] ^ c); /* ENTRY */
		buf = (const unsigned char *)(w + 4); /* ENTRY */
	}
	while (len >= 8) { /* ENTRY */
		len -= 8; /* TAIL */
		for (int k = 0; k < 8; k++) /* TAIL */
			c = (c >> 8) ^ tab[0][(c ^ *buf++) & 0xff]; /* TAIL */
	}
	while (len) { /* ENTRY */
		len--; /* TAIL */
		c = (c >> 8) ^ tab[0][(c ^ *buf++) & 0xff]; /* TAIL */
	}
	return ~c; /* ENTRY */
}

int main(int argc, char **argv)
{
	static unsigned char data[1 << 16];
	int n = argc > 1 ? atoi(argv[1]) : 100;
	unsigned c = 0;
	for (int k = 0; k < 8; k++)
		for (int i = 0; i < 256; i++)
			tab[k][i] = (unsigned)(i * 2654435761u) ^ (unsigned)k;
	for (unsigned i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 7 + (i >> 8));
	for (int i = 0; i < n; i++)
		c = sum(c, data + (i & 7), sizeof data - 64 - (unsigned)i % 61);
	printf("%08x\n", c);
	return 0;
}
