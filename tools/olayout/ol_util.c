/* ol_util.c - growing arrays, lower-bound search, sorting with equal
 * entries folded (see ol_util.h). */
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

/* Swaps the size bytes at a and b (the same place: nothing changes). */
static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		unsigned char t = a[i];
		a[i] = b[i];
		b[i] = t;
	}
}

size_t ol_sort_fold(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *),
		    void (*fold)(void *into, const void *from))
{
	unsigned char *v = base;
	size_t k = 0;

	if (n == 0)
		return 0;	/* base may be NULL, which qsort must not get */
	qsort(v, n, size, cmp);
	/* [0, k): one entry per run; [k, i): the folded ones */
	for (size_t i = 0; i < n; i++) {
		if (k && cmp(v + (k - 1) * size, v + i * size) == 0)
			fold(v + (k - 1) * size, v + i * size);
		else
			swap_bytes(v + k++ * size, v + i * size, size);
	}
	return k;
}
