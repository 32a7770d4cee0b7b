/*
 * seedloop.c - a test whose line the profile calls never run
 * (cold-line) although the digit loop after it ran: in gawk's format_tree
 * the trained build had folded that test into the one before it.
 * tests/plugin/seed_ran.t.
 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) int digits(unsigned v, char *buf, int neg)
{
	char *cp = buf + 32;
	*cp = '\0';
	if (neg) /* NEG-LINE */
		v = -v;
	if (v == 4242u) /* SEED-LINE */
		v = 0;
	do {
		*--cp = (char)('0' + v % 10); /* LOOP-LINE */
		v /= 10;
	} while (v); /* COND-LINE */
	return (int)(buf + 32 - cp);
}

int main(int argc, char **argv)
{
	char buf[33];
	long n = argc > 1 ? atol(argv[1]) : 1000, total = 0;
	for (long i = 0; i < n; i++)
		total += digits((unsigned)(i * 2654435761u), buf, (int)(i & 1));
	printf("%ld %s\n", total, buf + 32 - digits((unsigned)n, buf, 0));
	return 0;
}
