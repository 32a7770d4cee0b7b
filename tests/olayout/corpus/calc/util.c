#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "calc.h"

void calc_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(3);
}

void calc_say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	printf("calc: %s\n", buf);
}

long calc_sum(int n, ...)
{
	va_list ap;
	long s = 0;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s += va_arg(ap, long);
	va_end(ap);
	return s;
}

/* Tail recursion: -O2 turns these into jumps (sibling calls). */
long calc_gcd(long a, long b)
{
	if (b == 0)
		return a < 0 ? -a : a;
	return calc_gcd(b, a % b);
}

int calc_is_even(unsigned n)
{
	if (n == 0)
		return 1;
	return calc_is_odd(n - 1);
}

int calc_is_odd(unsigned n)
{
	if (n == 0)
		return 0;
	return calc_is_even(n - 1);
}
