/* ol_util.c - growing arrays and lower-bound search (see ol_util.h). */
#include "ol_util.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

int ol_grow(void **p, size_t *cap, size_t need, size_t elt)
{
	size_t c = *cap ? *cap : 16;
	void *n;

	if (need <= *cap)
		return 0;
	while (c < need) {
		if (c > SIZE_MAX / 2 / elt)
			return -ENOMEM;
		c *= 2;
	}
	n = realloc(*p, c * elt);
	if (n == NULL)
		return -ENOMEM;
	*p = n;
	*cap = c;
	return 0;
}

size_t ol_lower_bound(size_t n, bool (*before)(const void *arg, size_t i), const void *arg)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (before(arg, mid))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
