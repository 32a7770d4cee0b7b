#include <stdarg.h>
#include <stdio.h>

#include "dispatch.h"

static int square_plus_one(int x)
{
	return x * x + 1;
}

/* A static data pointer to a static function: relocated in .data, the
 * function reachable only through it. volatile keeps GCC from folding it. */
static int (*volatile hook_fn)(int) = square_plus_one;

int dispatch_hook(int x)
{
	return hook_fn(x);
}

void dispatch_log(const char *fmt, ...)
{
	va_list ap;

	fputs("dispatch: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}
