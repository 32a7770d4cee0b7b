/* sorts: sorting algorithms behind a vtable-like struct, qsort with
 * comparator callbacks, recursive quicksort and merge sort, a jump table. */
#ifndef SORTS_H
#define SORTS_H

#include <stddef.h>

typedef int (*sorts_cmp)(const void *a, const void *b);

struct sorts_algo {
	const char *name;
	void (*sort)(int *v, size_t n, sorts_cmp cmp);
	int stable;
};

extern const struct sorts_algo sorts_algos[];
extern const size_t sorts_nalgos;

__attribute__((noreturn, cold)) void sorts_die(const char *why, size_t n);
int sorts_cmp_up(const void *a, const void *b);
int sorts_cmp_down(const void *a, const void *b);
int sorts_cmp_digits(const void *a, const void *b);
const char *sorts_classify(int x);
int sorts_weight(int x);

#endif
