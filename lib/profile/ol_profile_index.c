/*
 * ol_profile_index.c - sorted orders over a parsed profile's arrays, and the
 * lookups that search them (binary search: a profile may list every function
 * and line of a large program, and the plugin asks once per function).
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_profile_sort.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

int ol_profile_cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ol_profile_cmp_edge(const void *a, const void *b)
{
	const struct ol_profile_edge *x = a, *y = b;
	int c = x->caller == y->caller ? 0 : strcmp(x->caller, y->caller);
	return c ? c : strcmp(x->callee, y->callee);
}

int ol_profile_cmp_function(const void *a, const void *b)
{
	return strcmp(((const struct ol_profile_function *)a)->name,
		      ((const struct ol_profile_function *)b)->name);
}

int ol_profile_cmp_cache(const void *a, const void *b)
{
	return strcmp(((const struct ol_profile_cache *)a)->name,
		      ((const struct ol_profile_cache *)b)->name);
}

int ol_profile_cmp_line_first(const void *a, const void *b)
{
	const struct ol_profile_line *x = a, *y = b;
	int c = cmp_u64(x->line, y->line);
	return c ? c : strcmp(x->file, y->file);
}

int ol_profile_cmp_hot_line_first(const void *a, const void *b)
{
	const struct ol_profile_hot_line *x = a, *y = b;
	int c = cmp_u64(x->line, y->line);
	return c ? c : strcmp(x->file, y->file);
}

int ol_profile_cmp_location(const void *a, const void *b)
{
	const struct ol_profile_line *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	return c ? c : cmp_u64(x->line, y->line);
}

int ol_profile_cmp_hot_location(const void *a, const void *b)
{
	const struct ol_profile_hot_line *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	return c ? c : cmp_u64(x->line, y->line);
}

int ol_profile_cmp_external(const void *a, const void *b)
{
	const struct ol_profile_external *x = a, *y = b;
	int c = strcmp(x->object, y->object);
	if (c == 0)
		c = cmp_u64(x->addr, y->addr);
	return c ? c : strcmp(x->name, y->name);
}

/* Two locations: by file, then line. */
static int cmp_loc(const char *fa, unsigned long la, const char *fb, unsigned long lb)
{
	int c = strcmp(fa, fb);
	return c ? c : cmp_u64(la, lb);
}

/* Two branches' exits. */
static int cmp_exits(const struct ol_profile_branch *x, const struct ol_profile_branch *y)
{
	int c = cmp_loc(x->taken_file, x->taken_line, y->taken_file, y->taken_line);
	return c ? c : cmp_loc(x->fall_file, x->fall_line, y->fall_file, y->fall_line);
}

int ol_profile_cmp_branch_first(const void *a, const void *b)
{
	const struct ol_profile_branch *x = a, *y = b;
	int c = cmp_u64(x->line, y->line);
	if (c == 0)
		c = strcmp(x->file, y->file);
	return c ? c : cmp_exits(x, y);
}

int ol_profile_cmp_branch(const void *a, const void *b)
{
	const struct ol_profile_branch *x = a, *y = b;
	int c = cmp_loc(x->file, x->line, y->file, y->line);
	return c ? c : cmp_exits(x, y);
}

int ol_profile_cmp_insn(const void *a, const void *b)
{
	const struct ol_profile_insn *x = a, *y = b;
	/* a run of one function's entries shares its string (the parser) */
	int c = x->function == y->function ? 0 : strcmp(x->function, y->function);
	return c ? c : cmp_u64(x->offset, y->offset);
}

/* qsort has no context argument: each entry carries its order. */
struct entry {
	const void *elem;
	size_t idx;
	ol_profile_cmp cmp;
};

static int entry_order(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = x->cmp(x->elem, y->elem);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* in_order: base is already sorted (equal elements allowed), as the writer
 * leaves every list: the sort would give back array order. */
static bool in_order(const void *base, size_t n, size_t size, ol_profile_cmp cmp)
{
	for (size_t i = 1; i < n; i++)
		if (cmp((const char *)base + (i - 1) * size, (const char *)base + i * size) > 0)
			return false;
	return true;
}

size_t *ol_profile_order(const void *base, size_t n, size_t size, ol_profile_cmp cmp)
{
	size_t *order = malloc((n ? n : 1) * sizeof *order);
	struct entry *e = NULL;
	if (order && in_order(base, n, size, cmp)) {
		for (size_t i = 0; i < n; i++)
			order[i] = i;
		return order;
	}
	e = malloc((n ? n : 1) * sizeof *e);
	if (!order || !e) {
		free(order);
		free(e);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		e[i] = (struct entry){(const char *)base + i * size, i, cmp};
	qsort(e, n, sizeof *e, entry_order);
	for (size_t i = 0; i < n; i++)
		order[i] = e[i].idx;
	free(e);
	return order;
}

void ol_profile_index_free(struct ol_profile_index *ix)
{
	if (!ix)
		return;
	free(ix->cold_functions);
	free(ix->library);
	free(ix->edges);
	free(ix->functions);
	free(ix->lines);
	free(ix->cold_lines);
	free(ix->branches);
	free(ix->copies);
	free(ix->blocks);
	free(ix);
}

int ol_profile_index_build(struct ol_profile *p)
{
	struct ol_profile_index *ix = calloc(1, sizeof *ix);
	if (!ix)
		return -ENOMEM;
	ix->cold_functions = ol_profile_order(p->cold_functions, p->n_cold_functions,
					      sizeof *p->cold_functions, ol_profile_cmp_name);
	ix->library = ol_profile_order(p->library, p->n_library, sizeof *p->library,
				       ol_profile_cmp_name);
	ix->edges = ol_profile_order(p->edges, p->n_edges, sizeof *p->edges, ol_profile_cmp_edge);
	ix->functions = ol_profile_order(p->functions, p->n_functions, sizeof *p->functions,
					 ol_profile_cmp_function);
	ix->lines = ol_profile_order(p->lines, p->n_lines, sizeof *p->lines,
				     ol_profile_cmp_hot_line_first);
	ix->cold_lines = ol_profile_order(p->cold_lines, p->n_cold_lines, sizeof *p->cold_lines,
					  ol_profile_cmp_line_first);
	ix->branches = ol_profile_order(p->branches, p->n_branches, sizeof *p->branches,
					ol_profile_cmp_branch_first);
	ix->copies = ol_profile_order(p->copies, p->n_copies, sizeof *p->copies,
				      ol_profile_cmp_copy);
	ix->blocks = ol_profile_order(p->blocks, p->n_blocks, sizeof *p->blocks,
				      ol_profile_cmp_block);
	if (!ix->cold_functions || !ix->library || !ix->edges || !ix->functions || !ix->lines ||
	    !ix->cold_lines || !ix->branches || !ix->copies || !ix->blocks) {
		ol_profile_index_free(ix);
		return -ENOMEM;
	}
	ol_profile_index_free(p->index);
	p->index = ix;
	return 0;
}

/* ol_profile_sort.h; ol_profile_copy.c's lookup shares it. */
size_t ol_profile_lower_bound(const void *base, size_t size, const size_t *order, size_t n,
			      const void *key, ol_profile_cmp cmp)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp((const char *)base + order[mid] * size, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The element equal to key, or NULL. */
static const void *find(const void *base, size_t size, const size_t *order, size_t n,
			const void *key, ol_profile_cmp cmp)
{
	size_t i = ol_profile_lower_bound(base, size, order, n, key, cmp);
	const void *e = i < n ? (const char *)base + order[i] * size : NULL;
	return e && cmp(e, key) == 0 ? e : NULL;
}

bool ol_profile_is_cold_function(const struct ol_profile *p, const char *fn)
{
	return find(p->cold_functions, sizeof *p->cold_functions, p->index->cold_functions,
		    p->n_cold_functions, &fn, ol_profile_cmp_name) != NULL;
}

bool ol_profile_is_library(const struct ol_profile *p, const char *fn)
{
	return find(p->library, sizeof *p->library, p->index->library, p->n_library, &fn,
		    ol_profile_cmp_name) != NULL;
}

const struct ol_profile_function *ol_profile_find_function(const struct ol_profile *p,
							     const char *name)
{
	struct ol_profile_function key = {.name = (char *)name};
	return find(p->functions, sizeof *p->functions, p->index->functions, p->n_functions,
		    &key, ol_profile_cmp_function);
}

uint64_t ol_profile_edge_count(const struct ol_profile *p, const char *caller,
			       const char *callee)
{
	struct ol_profile_edge key = {(char *)caller, (char *)callee, 0};
	const struct ol_profile_edge *e = find(p->edges, sizeof *p->edges, p->index->edges,
					       p->n_edges, &key, ol_profile_cmp_edge);
	return e ? e->count : 0;
}

/* A profile's FILE matches a compiler's file when equal or a /-suffix of it. */
static bool file_matches(const char *file, size_t flen, const char *want)
{
	size_t n = strlen(want);
	return n <= flen && strcmp(file + flen - n, want) == 0 &&
	       (n == flen || file[flen - n - 1] == '/');
}

bool ol_profile_file_matches(const char *file, const char *want)
{
	return file_matches(file, strlen(file), want);
}

bool ol_profile_is_cold_line(const struct ol_profile *p, const char *file, unsigned long line)
{
	struct ol_profile_line key = {(char *)"", line};
	size_t flen = strlen(file);
	for (size_t i = ol_profile_lower_bound(p->cold_lines, sizeof *p->cold_lines,
					       p->index->cold_lines, p->n_cold_lines, &key,
					       ol_profile_cmp_line_first);
	     i < p->n_cold_lines; i++) {
		const struct ol_profile_line *cl = &p->cold_lines[p->index->cold_lines[i]];
		if (cl->line != line)
			break;
		if (file_matches(file, flen, cl->file))
			return true;
	}
	return false;
}

bool ol_profile_line_count(const struct ol_profile *p, const char *file, unsigned long line,
			   uint64_t *count)
{
	struct ol_profile_hot_line key = {(char *)"", line, 0};
	size_t flen = strlen(file);
	for (size_t i = ol_profile_lower_bound(p->lines, sizeof *p->lines, p->index->lines,
					       p->n_lines, &key, ol_profile_cmp_hot_line_first);
	     i < p->n_lines; i++) {
		const struct ol_profile_hot_line *hl = &p->lines[p->index->lines[i]];
		if (hl->line != line)
			break;
		if (file_matches(file, flen, hl->file)) {
			*count = hl->count;
			return true;
		}
	}
	return false;
}

size_t ol_profile_branches_at(const struct ol_profile *p, const char *file, unsigned long line,
			      const struct ol_profile_branch **out, size_t max)
{
	struct ol_profile_branch key = {.file = (char *)"", .line = line, .taken_file = (char *)"",
					.fall_file = (char *)""};
	size_t flen = strlen(file), n = 0;
	for (size_t i = ol_profile_lower_bound(p->branches, sizeof *p->branches, p->index->branches,
					       p->n_branches, &key, ol_profile_cmp_branch_first);
	     i < p->n_branches; i++) {
		const struct ol_profile_branch *b = &p->branches[p->index->branches[i]];
		if (b->line != line)
			break;
		if (!file_matches(file, flen, b->file))
			continue;
		if (n < max)
			out[n] = b;
		n++;
	}
	return n;
}
