#include <stdio.h>
#include <stdlib.h>

#include "jumps.h"

struct jumps_handler *jumps_top;

__attribute__((noreturn, cold)) static void no_handler(int code)
{
	fprintf(stderr, "jumps: uncaught %d\n", code);
	exit(5);
}

void jumps_throw(int code)
{
	if (jumps_top == NULL)
		no_handler(code);
	longjmp(jumps_top->env, code);
}
