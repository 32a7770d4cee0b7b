/* uncounted.c - run's loop dispatches on byte codes as sqlite3VdbeExec
   does: ops 1 and 2 test a value by an inlined function with three
   returns, then jump (`if (c) goto jump;`, sqlite's OP_If and OP_IfNot).
   Trained (every line HOT but the tail), GCC leaves those blocks without
   a count after the plugin's fdo pass (fdo=late). */
#include <stdio.h>
#include <stdlib.h>

struct mem {
	int flags;
	long i;
	double r;
};
struct op {
	unsigned char code;
	int a, b, c;
};

static inline int boolval(const struct mem *m, int ifnull)
{
	if (m->flags & 1)
		return m->i != 0;
	if (m->flags & 2)
		return ifnull;
	return m->r != 0.0;
}

__attribute__((noinline)) long run(const struct op *ops, struct mem *mem)
{
	long acc = 0; /* ENTRY */
	const struct op *op = ops; /* ENTRY */
	for (;;) { /* LOOP */
		switch (op->code) { /* LOOP */
		case 0:
			acc += mem[op->a].i; /* HOT */
			break;
		case 1: {
			int c = boolval(&mem[op->a], op->c); /* HOT */
			if (c) /* HOT */
				goto jump; /* HOT */
			break;
		}
		case 2: {
			int c = !boolval(&mem[op->a], !op->c); /* HOT */
			if (c) /* HOT */
				goto jump; /* HOT */
			break;
		}
		case 3:
			if (mem[op->a].i > acc) /* HOT */
				goto jump; /* HOT */
			break;
		case 4:
			return acc; /* TAIL */
		case 5:
		jump:
			op = &ops[op->b - 1]; /* HOT */
			break;
		default:
			acc ^= acc << 3; /* HOT */
			break;
		}
		op++; /* LOOP */
	}
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 100;
	struct op ops[65];
	struct mem mem[16];
	for (int i = 0; i < 16; i++) {
		mem[i].flags = 1 << (i % 3);
		mem[i].i = i % 5;
		mem[i].r = i % 4;
	}
	for (int i = 0; i < 64; i++) {
		ops[i].code = i % 5 == 4 ? 6 : i % 5;
		ops[i].a = i % 16;
		ops[i].b = i + 1;
		ops[i].c = i & 1;
	}
	ops[64].code = 4;
	long r = 0;
	for (int k = 0; k < rounds; k++)
		r += run(ops, mem);
	printf("%ld\n", r);
	return 0;
}
