/*
 * ol_util.h - the container helpers every part of olayout uses: a growing
 * array, a lower-bound search over a sorted table, and sorting a table
 * with its equal entries folded into one.
 */
#ifndef OL_UTIL_H
#define OL_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* ol_grow: make *p (an array of elt-byte elements, *cap of them) hold at
 * least need elements, doubling; *p and *cap are unchanged on failure.
 * Returns 0 or -ENOMEM. Call as ol_grow((void **)&arr, &cap, n + 1, sizeof *arr). */
int ol_grow(void **p, size_t *cap, size_t need, size_t elt);

/* ol_lower_bound: the first i in [0, n) for which before(arg, i) is false
 * (n if none), for a table where before is true on a prefix. */
size_t ol_lower_bound(size_t n, bool (*before)(const void *arg, size_t i), const void *arg);

/* ol_sort_fold: sorts the n entries of size bytes at base (NULL when n is
 * 0) by cmp and folds each run of equal ones into its first, by fold(first,
 * other) for every other; returns how many are left (the first ones of
 * base, one per run, in order). The folded entries are moved after them,
 * whole, for a caller that frees what they hold. */
size_t ol_sort_fold(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *),
		    void (*fold)(void *into, const void *from));

#endif
