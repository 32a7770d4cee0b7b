#include <stdio.h>
#include <stdlib.h>

#include "ops.h"

__attribute__((noreturn, cold)) static void overflow(const char *op)
{
	fprintf(stderr, "clonetab: %s overflows\n", op);
	exit(7);
}

/* noinline: op_mix must call it (GCC -O2 would inline so small a body) */
__attribute__((noinline)) long op_add(long a, long b)
{
	long r;

	if (__builtin_add_overflow(a, b, &r))
		overflow("add");
	return r;
}

long op_mul(long a, long b)
{
	long r;

	if (__builtin_mul_overflow(a, b, &r))
		overflow("mul");
	return r;
}

/* Calls op_add directly: the clone layout routes this call to op_add's clone. */
long op_mix(long a, long b)
{
	long r = op_add(a * 3, b) ^ 0x5a5a;

	return op_add(r, a) % 100003;
}

const struct clonetab_op clonetab_ops[] = {
	{ "add", op_add }, { "mul", op_mul }, { "mix", op_mix },
};
const int clonetab_nops = sizeof clonetab_ops / sizeof clonetab_ops[0];
