/* resume.c: a decoder shaped like xz's lzma_decode (tests/plugin/cold_return.t):
   entered rarely, it starts with an inlined helper whose loop runs rarely
   (rc_read_init), then resumes through a switch on its saved state into a
   hot loop, and saves its state on the way out. */
#include <stdio.h>
#include <stdlib.h>

struct coder {
	int state;
	unsigned acc;
	int init_left;
};

static inline int init(struct coder *c, const unsigned char *in, size_t *pos, size_t n)
{
	while (c->init_left > 0) { /* INIT */
		if (*pos == n) /* INIT */
			return 1; /* NEVER */
		c->acc = (c->acc << 8) | in[(*pos)++]; /* INIT */
		--c->init_left; /* INIT */
	}
	return 0; /* INIT */
}

__attribute__((noinline)) int decode(struct coder *c, const unsigned char *in, size_t *pos,
				     size_t n)
{
	if (init(c, in, pos, n)) /* ENTRY */
		return 1; /* NEVER */
	unsigned acc = c->acc; /* ENTRY */
	size_t i = *pos; /* ENTRY */
	int state = c->state; /* ENTRY */
	switch (state) { /* ENTRY */
	case 0:
		while (i < n) { /* LOOP */
			acc = acc * 31 + in[i]; /* LOOP */
		case 1:
			if (acc == 7) /* SET */
				state = 1; /* SET */
			i++; /* LOOP */
		}
	}
	c->acc = acc; /* ENTRY */
	c->state = state; /* ENTRY */
	*pos = i; /* ENTRY */
	return 0; /* ENTRY */
}

int main(int argc, char **argv)
{
	int calls = argc > 1 ? atoi(argv[1]) : 100;
	static unsigned char buf[2000];
	for (size_t k = 0; k < sizeof buf; k++)
		buf[k] = (unsigned char)(k * 7 + 3);
	unsigned total = 0;
	for (int k = 0; k < calls; k++) {
		struct coder c = {0, 0, 4};
		size_t pos = 0;
		decode(&c, buf, &pos, sizeof buf);
		total += c.acc + (unsigned)c.state;
	}
	printf("%u\n", total);
	return 0;
}
