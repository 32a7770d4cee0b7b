#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sorts.h"

void sorts_die(const char *why, size_t n)
{
	fprintf(stderr, "sorts: %s (%zu)\n", why, n);
	exit(6);
}

static void swap(int *a, int *b)
{
	int t = *a;

	*a = *b;
	*b = t;
}

static void quick(int *v, size_t n, sorts_cmp cmp)
{
	size_t i, last = 0;

	if (n < 2)
		return;
	swap(&v[0], &v[n / 2]);
	for (i = 1; i < n; i++)
		if (cmp(&v[i], &v[0]) < 0)
			swap(&v[++last], &v[i]);
	swap(&v[0], &v[last]);
	quick(v, last, cmp);
	quick(v + last + 1, n - last - 1, cmp);
}

static void merge(int *v, size_t n, sorts_cmp cmp)
{
	size_t h = n / 2, i = 0, j = h, k = 0;
	int *tmp;

	if (n < 2)
		return;
	merge(v, h, cmp);
	merge(v + h, n - h, cmp);
	tmp = malloc(n * sizeof *tmp);
	if (tmp == NULL)
		sorts_die("out of memory", n);
	while (i < h && j < n)
		tmp[k++] = cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *tmp);
	free(tmp);
}

static void insertion(int *v, size_t n, sorts_cmp cmp)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp(&v[j], &v[j - 1]) < 0; j--)
			swap(&v[j], &v[j - 1]);
}

static void libc_qsort(int *v, size_t n, sorts_cmp cmp)
{
	qsort(v, n, sizeof *v, cmp);
}

const struct sorts_algo sorts_algos[] = {
	{ "quick", quick, 0 },
	{ "merge", merge, 1 },
	{ "insertion", insertion, 1 },
	{ "qsort", libc_qsort, 0 },
};
const size_t sorts_nalgos = sizeof sorts_algos / sizeof sorts_algos[0];
