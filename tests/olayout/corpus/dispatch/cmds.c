#include <stdio.h>
#include <stdlib.h>

#include "dispatch.h"

void dispatch_die(const char *what, long v)
{
	fprintf(stderr, "dispatch: %s %ld\n", what, v);
	abort();
}

static long cmd_add(long a, long b) { return a + b; }
static long cmd_sub(long a, long b) { return a - b; }

static long cmd_mul(long a, long b)
{
	if (__builtin_mul_overflow(a, b, &a))
		dispatch_die("mul overflow", b);
	return a;
}

static long cmd_div(long a, long b)
{
	if (b == 0)
		dispatch_die("division by zero", a);
	return a / b;
}

static long cmd_pow(long a, long b)
{
	long r = 1;

	if (b < 0)
		dispatch_die("negative exponent", b);
	while (b-- > 0)
		r = cmd_mul(r, a);
	return r;
}

long cmd_max(long a, long b) { return a > b ? a : b; }

/* Deliberately unsorted: main sorts a copy with qsort. */
const struct dispatch_cmd dispatch_cmds[] = {
	{ "sub", cmd_sub, 1 },
	{ "pow", cmd_pow, 2 },
	{ "add", cmd_add, 1 },
	{ "max", cmd_max, 0 },
	{ "div", cmd_div, 2 },
	{ "mul", cmd_mul, 2 },
};
const int dispatch_ncmds = sizeof dispatch_cmds / sizeof dispatch_cmds[0];
