/* tap.c - see tap.h. Output goes to stdout, unbuffered line by line. */
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One test program is one TAP stream: the counters are per process. */
static int tap_planned = -1;
static int tap_run;
static int tap_failed;

static void tap_vline(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stdout);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

void tap_plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

void tap_skip_all(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vline("1..0 # SKIP ", fmt, ap);
	va_end(ap);
	exit(0);
}

static bool tap_vok(bool pass, const char *fmt, va_list ap)
{
	char prefix[32];

	tap_run++;
	if (!pass)
		tap_failed++;
	snprintf(prefix, sizeof prefix, "%sok %d - ", pass ? "" : "not ", tap_run);
	tap_vline(prefix, fmt, ap);
	return pass;
}

bool tap_ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vok(pass, fmt, ap);
	va_end(ap);
	return pass;
}

bool tap_is_int(long long got, long long want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vok(got == want, fmt, ap);
	va_end(ap);
	if (got != want)
		tap_diag("  got: %lld\n#   expected: %lld", got, want);
	return got == want;
}

bool tap_is_str(const char *got, const char *want, const char *fmt, ...)
{
	bool pass = got && want ? strcmp(got, want) == 0 : got == want;
	va_list ap;

	va_start(ap, fmt);
	tap_vok(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		tap_diag("  got: '%s'\n#   expected: '%s'", got ? got : "(null)",
			 want ? want : "(null)");
	return pass;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vline("# ", fmt, ap);
	va_end(ap);
}

void tap_bail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vline("Bail out! ", fmt, ap);
	va_end(ap);
	exit(2);
}

int tap_done(void)
{
	if (tap_planned >= 0 && tap_run != tap_planned) {
		tap_diag("planned %d tests but ran %d", tap_planned, tap_run);
		return 1;
	}
	if (tap_failed)
		tap_diag("failed %d of %d tests", tap_failed, tap_run);
	return tap_failed ? 1 : 0;
}
