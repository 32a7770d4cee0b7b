/*
 * ol_profile_sort.h - internal to lib/profile: the element orders that the
 * parser's indexes, its duplicate checks and the writer share.
 */
#ifndef OL_PROFILE_SORT_H
#define OL_PROFILE_SORT_H

#include "ol_profile.h"

typedef int (*ol_profile_cmp)(const void *a, const void *b);

/* Orders of elements; a name list's elements are char *. */
int ol_profile_cmp_name(const void *a, const void *b);
int ol_profile_cmp_edge(const void *a, const void *b);
int ol_profile_cmp_function(const void *a, const void *b);
int ol_profile_cmp_cache(const void *a, const void *b);
/* Lines by number, then file (the lookups' order). */
int ol_profile_cmp_line_first(const void *a, const void *b);
int ol_profile_cmp_hot_line_first(const void *a, const void *b);
/* Lines by file, then number (the writer's order). */
int ol_profile_cmp_location(const void *a, const void *b);
int ol_profile_cmp_hot_location(const void *a, const void *b);
int ol_profile_cmp_external(const void *a, const void *b);
/* Branches by line, then file, then their exits' locations (the lookup's
 * order); by file, then line, then the exits (the writer's). */
int ol_profile_cmp_branch_first(const void *a, const void *b);
int ol_profile_cmp_branch(const void *a, const void *b);
/* Instructions by function, then offset. */
int ol_profile_cmp_insn(const void *a, const void *b);

/* Copies by function, then line, then call sites (ol_profile_copy.c). */
int ol_profile_cmp_copy(const void *a, const void *b);
/* A `copy` entry's text; the copies' memory (ol_profile_free). */
void ol_profile_print_copy(FILE *fp, const struct ol_profile *p, size_t i);
void ol_profile_free_copies(struct ol_profile *p);

/* Blocks by function, then id; a `block` entry's text (ol_profile_block.c). */
int ol_profile_cmp_block(const void *a, const void *b);
void ol_profile_print_block(FILE *fp, const struct ol_profile *p, size_t i);

/* The indexes 0..n-1 of the n elements of size bytes at base, sorted by cmp,
 * equal elements in array order; NULL when out of memory (n > 0). */
size_t *ol_profile_order(const void *base, size_t n, size_t size, ol_profile_cmp cmp);
/* The first position in order (such an index of n elements) whose element
 * is not below key by cmp(element, key). */
size_t ol_profile_lower_bound(const void *base, size_t size, const size_t *order, size_t n,
			      const void *key, ol_profile_cmp cmp);

/* The parser's lookup orders. */
struct ol_profile_index {
	size_t *cold_functions, *library, *edges, *functions, *lines, *cold_lines, *branches;
	size_t *copies, *blocks;
};

/* Builds p->index; -ENOMEM. */
int ol_profile_index_build(struct ol_profile *p);
void ol_profile_index_free(struct ol_profile_index *ix);

#endif
