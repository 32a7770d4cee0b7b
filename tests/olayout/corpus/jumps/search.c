#include "jumps.h"

/* Recurses to the bottom, then throws the index found: longjmp unwinds
 * all the frames at once. */
int jumps_search(const int *v, int n, int depth, int want)
{
	if (depth > 1000)
		jumps_throw(-1);
	if (n == 0)
		return 0;
	if (v[0] == want)
		jumps_throw(depth + 1);
	return jumps_search(v + 1, n - 1, depth + 1, want) + 1;
}

long jumps_ackermann(long m, long n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return jumps_ackermann(m - 1, 1);
	return jumps_ackermann(m - 1, jumps_ackermann(m, n - 1));
}

int jumps_walk(int depth, int limit)
{
	struct jumps_handler h;
	volatile int caught = 0;
	int code;

	h.prev = jumps_top;
	jumps_top = &h;
	code = setjmp(h.env);
	if (code == 0) {
		if (depth == limit)
			jumps_throw(100 + depth);
		caught = jumps_walk(depth + 1, limit);
	} else {
		caught = code;
	}
	jumps_top = h.prev;
	/* Rethrow odd codes to the next handler up. */
	if (caught % 2 && depth > 0)
		jumps_throw(caught - 1);
	return caught;
}
