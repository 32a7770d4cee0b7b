/* jumps: setjmp/longjmp out of deep recursion, nested handlers, and a
 * recursive tree walk; errors leave through .cold fragments. */
#ifndef JUMPS_H
#define JUMPS_H

#include <setjmp.h>

struct jumps_handler {
	jmp_buf env;
	struct jumps_handler *prev;
};

extern struct jumps_handler *jumps_top;

__attribute__((noreturn)) void jumps_throw(int code);
int jumps_search(const int *v, int n, int depth, int want);
long jumps_ackermann(long m, long n);
int jumps_walk(int depth, int limit);

#endif
