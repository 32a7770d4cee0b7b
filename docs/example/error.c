/* error.c - error messages: the code that should never be hot. */
#include <stdio.h>

#include "calc.h"

int calc_error(const char *what, const char *detail)
{
	fprintf(stderr, "calc: %s%s%s\n", what, *detail ? " " : "", detail);
	return -1;
}
