#!/usr/bin/python3
"""mkbig: write a large C program for the olayout benchmark.

    mkbig.py DIR NFUNCS [--per-file N] [--seed S]

DIR gets big_NNN.c files (N functions each), big.h and main.c. Every
function has a dense switch (a jump table), direct calls to two other
functions, an indirect call through its file's function-pointer table, and
an unlikely error path calling a cold function (a .cold fragment); the
constants differ per function so that GCC's identical-code folding keeps
them all. main calls every function and prints a checksum.
"""
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "py"))
from ol_args import ArgumentParser  # noqa: E402

OPS = ["r += {k}", "r ^= x << ({k} & 7)", "r -= x * {k}", "r = (r << 3) ^ {k}",
       "r |= {k}", "r &= ~(long){k}", "r += x / ({k} | 1)", "r ^= r >> ({k} & 15)"]


def function(i, n, per_file, rng):
    cases = "\n".join("\tcase %d: %s; break;" % (c, rng.choice(OPS).format(k=rng.randrange(1, 1 << 20)))
                      for c in range(16))
    a, b = rng.randrange(n), rng.randrange(n)
    return """long big_%d(long x, int d)
{
	long r = x * %d + %d;

	switch ((x ^ d) & 15) {
%s
	}
	if (d > 0) {
		r += big_%d(r, d - 1);
		r ^= big_%d(x + %d, d - 1);
		r += big_table_%d[r & 7](x, d - 1);
	}
	if (__builtin_expect(r == %dL, 0))
		big_fail(%d, r);
	return r;
}
""" % (i, rng.randrange(3, 1 << 16), rng.randrange(1 << 16), cases, a, b, rng.randrange(100),
       i // per_file, rng.randrange(1 << 40, 1 << 41), i)


def main():
    ap = ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("nfuncs", type=int)
    ap.add_argument("--per-file", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    n, per = args.nfuncs, args.per_file
    nfiles = (n + per - 1) // per
    os.makedirs(args.dir, exist_ok=True)
    with open(os.path.join(args.dir, "big.h"), "w") as h:
        h.write("typedef long (*big_fn)(long, int);\n")
        h.write("__attribute__((noreturn, cold)) void big_fail(int fn, long r);\n")
        h.write("".join("long big_%d(long x, int d);\n" % i for i in range(n)))
        h.write("".join("extern const big_fn big_table_%d[8];\n" % f for f in range(nfiles)))
    for f in range(nfiles):
        first, last = f * per, min(n, (f + 1) * per)
        with open(os.path.join(args.dir, "big_%03d.c" % f), "w") as out:
            out.write('#include "big.h"\n\n')
            out.write("".join(function(i, n, per, rng) + "\n" for i in range(first, last)))
            out.write("const big_fn big_table_%d[8] = { %s };\n" % (
                f, ", ".join("big_%d" % rng.randrange(first, last) for _ in range(8))))
    with open(os.path.join(args.dir, "main.c"), "w") as out:
        out.write("""#include <stdio.h>
#include <stdlib.h>

#include "big.h"

static const big_fn all[] = { %s };

void big_fail(int fn, long r)
{
	fprintf(stderr, "big_%%d: unlucky %%ld\\n", fn, r);
	exit(2);
}

int main(void)
{
	unsigned long sum = 0;

	for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
		sum = sum * 31 + (unsigned long)all[i]((long)i, 2);
	printf("%%d functions, checksum %%016lx\\n", (int)(sizeof all / sizeof all[0]), sum);
	return 0;
}
""" % ", ".join("big_%d" % i for i in range(n)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
