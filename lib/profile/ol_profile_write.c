/*
 * ol_profile_write.c - the canonical text of a profile: the header, then
 * each directive kind in a fixed order, entries sorted (paths keep their
 * order: it is the author's), no comments. Reading it back and writing
 * again gives the same bytes.
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_profile_sort.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

/* Prints entry i of a kind. */
typedef void (*print_fn)(FILE *fp, const struct ol_profile *p, size_t i);

static void print_cache(FILE *fp, const struct ol_profile *p, size_t i)
{
	const struct ol_profile_cache *c = &p->caches[i];
	fprintf(fp, "cache %s %lu %lu %lu\n", c->name, c->size, c->assoc, c->line);
}

static void print_library(FILE *fp, const struct ol_profile *p, size_t i)
{
	fprintf(fp, "library %s\n", p->library[i]);
}

static void print_function(FILE *fp, const struct ol_profile *p, size_t i)
{
	const struct ol_profile_function *f = &p->functions[i];
	fprintf(fp, "function %s %" PRIu64 " %" PRIu64 "\n", f->name, f->calls, f->insns);
}

static void print_edge(FILE *fp, const struct ol_profile *p, size_t i)
{
	const struct ol_profile_edge *e = &p->edges[i];
	fprintf(fp, "edge %s %s %" PRIu64 "\n", e->caller, e->callee, e->count);
}

static void print_cold_function(FILE *fp, const struct ol_profile *p, size_t i)
{
	fprintf(fp, "cold-function %s\n", p->cold_functions[i]);
}

static void print_line(FILE *fp, const struct ol_profile *p, size_t i)
{
	const struct ol_profile_hot_line *l = &p->lines[i];
	fprintf(fp, "line %s:%lu %" PRIu64 "\n", l->file, l->line, l->count);
}

static void print_cold_line(FILE *fp, const struct ol_profile *p, size_t i)
{
	fprintf(fp, "cold-line %s:%lu\n", p->cold_lines[i].file, p->cold_lines[i].line);
}

static void print_external(FILE *fp, const struct ol_profile *p, size_t i)
{
	const struct ol_profile_external *x = &p->externals[i];
	fprintf(fp, "external %s %s 0x%" PRIx64 " %" PRIu64 " %" PRIu64 "\n", x->name, x->object,
		x->addr, x->size, x->insns);
}

static void print_insn(FILE *fp, const struct ol_profile *p, size_t i)
{
	const struct ol_profile_insn *x = &p->insns[i];
	fprintf(fp, "insn %s %" PRIu64 " %" PRIu64 "\n", x->function, x->offset, x->count);
}

static void print_branch(FILE *fp, const struct ol_profile *p, size_t i)
{
	const struct ol_profile_branch *b = &p->branches[i];
	fprintf(fp, "branch %s:%lu %s:%lu %s:%lu %" PRIu64 " %" PRIu64 "\n", b->file, b->line,
		b->taken_file, b->taken_line, b->fall_file, b->fall_line, b->taken, b->fall);
}

/* Prints the n entries at base in cmp's order. */
static int print_sorted(FILE *fp, const struct ol_profile *p, const void *base, size_t n,
			size_t size, ol_profile_cmp cmp, print_fn print)
{
	size_t *order = ol_profile_order(base, n, size, cmp);
	if (!order)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		print(fp, p, order[i]);
	free(order);
	return 0;
}

int ol_profile_write(FILE *fp, const struct ol_profile *p)
{
	fprintf(fp, "olayout-profile %u\n", p->version ? p->version : OL_PROFILE_VERSION);
	if (p->exe)
		fprintf(fp, "exe %s\n", p->exe);
	if (p->training)
		fprintf(fp, "training %" PRIu64 "\n", p->training);
	if (p->samples)
		fprintf(fp, "samples %s\n", p->samples);
	int rc = print_sorted(fp, p, p->caches, p->n_caches, sizeof *p->caches,
			      ol_profile_cmp_cache, print_cache);
	for (size_t i = 0; rc == 0 && i < p->n_paths; i++) {
		const struct ol_profile_path *pa = &p->paths[i];
		fprintf(fp, "path %s %s", pa->name, pa->root);
		for (size_t l = 0; l < pa->n_layers; l++)
			fprintf(fp, " %s", pa->layers[l]);
		fputc('\n', fp);
	}
	if (rc == 0)
		rc = print_sorted(fp, p, p->library, p->n_library, sizeof *p->library,
				  ol_profile_cmp_name, print_library);
	if (rc == 0)
		rc = print_sorted(fp, p, p->functions, p->n_functions, sizeof *p->functions,
				  ol_profile_cmp_function, print_function);
	if (rc == 0)
		rc = print_sorted(fp, p, p->edges, p->n_edges, sizeof *p->edges,
				  ol_profile_cmp_edge, print_edge);
	if (rc == 0)
		rc = print_sorted(fp, p, p->cold_functions, p->n_cold_functions,
				  sizeof *p->cold_functions, ol_profile_cmp_name,
				  print_cold_function);
	if (rc == 0)
		rc = print_sorted(fp, p, p->lines, p->n_lines, sizeof *p->lines,
				  ol_profile_cmp_hot_location, print_line);
	if (rc == 0)
		rc = print_sorted(fp, p, p->cold_lines, p->n_cold_lines, sizeof *p->cold_lines,
				  ol_profile_cmp_location, print_cold_line);
	if (rc == 0)
		rc = print_sorted(fp, p, p->externals, p->n_externals, sizeof *p->externals,
				  ol_profile_cmp_external, print_external);
	if (rc == 0)
		rc = print_sorted(fp, p, p->insns, p->n_insns, sizeof *p->insns,
				  ol_profile_cmp_insn, print_insn);
	if (rc == 0)
		rc = print_sorted(fp, p, p->branches, p->n_branches, sizeof *p->branches,
				  ol_profile_cmp_branch, print_branch);
	if (rc == 0)
		rc = print_sorted(fp, p, p->copies, p->n_copies, sizeof *p->copies,
				  ol_profile_cmp_copy, ol_profile_print_copy);
	if (rc == 0)
		rc = print_sorted(fp, p, p->blocks, p->n_blocks, sizeof *p->blocks,
				  ol_profile_cmp_block, ol_profile_print_block);
	if (rc == 0 && ferror(fp))
		rc = -EIO;
	return rc;
}
