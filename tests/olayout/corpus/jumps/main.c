#include <stdio.h>

#include "jumps.h"

static int try_search(const int *v, int n, int want)
{
	struct jumps_handler h;
	int code;

	h.prev = jumps_top;
	jumps_top = &h;
	code = setjmp(h.env);
	if (code == 0)
		code = -jumps_search(v, n, 0, want);
	jumps_top = h.prev;
	return code;
}

int main(void)
{
	int v[200];
	int sum = 0;

	for (int i = 0; i < 200; i++)
		v[i] = (i * 37) % 211;
	for (int want = 0; want < 220; want += 23) {
		int r = try_search(v, 200, want);

		printf("search %3d -> %d\n", want, r);
		sum += r;
	}
	for (int limit = 0; limit < 6; limit++) {
		int r = jumps_walk(0, limit);

		printf("walk %d -> %d\n", limit, r);
		sum += r;
	}
	for (long m = 0; m < 3; m++)
		printf("ackermann(%ld, 3) = %ld\n", m, jumps_ackermann(m, 3));
	printf("sum %d\n", sum);
	return sum & 0x7f;
}
