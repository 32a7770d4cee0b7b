/*
 * ol_profile_copy.c - the `copy` entries (version 6): one per inlined copy
 * of a source line in a function of the trained build, keyed by the call
 * sites that put it there. Their order (the writer's and the lookup's),
 * the lookup, the writer's text and their memory; the parser reads them
 * (ol_profile.c). A line's count sums every copy of it; a copy's entry
 * says whether that copy ran (tests/profile/ol_profile_test.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_profile_sort.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int cmp_ul(unsigned long a, unsigned long b)
{
	return (a > b) - (a < b);
}

/* e against the run of fn's copies of a line numbered line with n
 * locations: the order's leading keys, which the lookup searches by. */
static int cmp_run(const struct ol_profile_copy *e, const char *fn, unsigned long line, size_t n)
{
	int c = e->function == fn ? 0 : strcmp(e->function, fn);
	if (c == 0)
		c = cmp_ul(e->locs[e->n_locs - 1].line, line);
	if (c == 0)
		c = cmp_ul(e->n_locs, n);
	return c;
}

/* By function, the line's number, how many call sites, then each
 * location's number and file: a copy's candidates are one run (the
 * lookup matches files by suffix). */
int ol_profile_cmp_copy(const void *a, const void *b)
{
	const struct ol_profile_copy *x = a, *y = b;
	int c = cmp_run(x, y->function, y->locs[y->n_locs - 1].line, y->n_locs);
	for (size_t i = 0; c == 0 && i < x->n_locs; i++) {
		c = cmp_ul(x->locs[i].line, y->locs[i].line);
		if (c == 0)
			c = strcmp(x->locs[i].file, y->locs[i].file);
	}
	return c;
}

/* Whether entry e is the copy asked for (files matched as a line's). */
static bool copy_matches(const struct ol_profile_copy *e, const char *const *files,
			 const unsigned long *lines, size_t n)
{
	if (e->n_locs != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (e->locs[i].line != lines[i] || !ol_profile_file_matches(files[i], e->locs[i].file))
			return false;
	return true;
}

/* The run ol_profile_copy_count looks up, as a key of cmp_to_run. */
struct copy_run {
	const char *fn;
	unsigned long line;
	size_t n;
};

static int cmp_to_run(const void *e, const void *key)
{
	const struct copy_run *k = key;
	return cmp_run(e, k->fn, k->line, k->n);
}

bool ol_profile_copy_count(const struct ol_profile *p, const char *fn, const char *const *files,
			   const unsigned long *lines, size_t n, uint64_t *count)
{
	const size_t *order = p->index->copies;
	bool found = false;
	if (n < 2)
		return false;
	struct copy_run run = {fn, lines[n - 1], n};
	size_t lo = ol_profile_lower_bound(p->copies, sizeof *p->copies, order, p->n_copies, &run,
					   cmp_to_run);
	*count = 0;
	for (size_t i = lo; i < p->n_copies; i++) {
		const struct ol_profile_copy *e = &p->copies[order[i]];
		if (cmp_to_run(e, &run) != 0)
			break;
		/* two files that both end as the compiler's name: the larger
		   count, so that ran wins */
		if (copy_matches(e, files, lines, n)) {
			*count = e->count > *count ? e->count : *count;
			found = true;
		}
	}
	return found;
}

void ol_profile_print_copy(FILE *fp, const struct ol_profile *p, size_t i)
{
	const struct ol_profile_copy *e = &p->copies[i];
	fprintf(fp, "copy %s", e->function);
	for (size_t k = 0; k < e->n_locs; k++)
		fprintf(fp, " %s:%lu", e->locs[k].file, e->locs[k].line);
	fprintf(fp, " %" PRIu64 "\n", e->count);
}

void ol_profile_free_copies(struct ol_profile *p)
{
	for (size_t i = 0; i < p->n_copies; i++) {
		/* a run of one function's entries shares its string (the parser) */
		if (i == 0 || p->copies[i].function != p->copies[i - 1].function)
			free(p->copies[i].function);
		for (size_t k = 0; k < p->copies[i].n_locs; k++)
			free(p->copies[i].locs[k].file);
		free(p->copies[i].locs);
	}
	free(p->copies);
}
