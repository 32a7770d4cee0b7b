/*
 * ol_prof_blocks.c - `block` entries (--blocks, profile version 7): a build
 * with the plugin's block-ids writes each basic block's id (GCC's
 * bb->index at the block-order point) as the discriminator of its
 * instructions' line-table rows, and lists those functions in the
 * non-allocated section `.olayout.blockids` (NUL-terminated assembler
 * names): GCC's own discriminators, in any other function, are no ids.
 * For each listed function that ran, one entry per discriminator > 0 of
 * its rows (its `.cold` fragment's rows count for it), with the largest
 * count of a first instruction of such a row (0: none ran). Not of its
 * other instructions: a block with no location of its own (a lone jump,
 * a `ret`) lies in the row before it, and can run more often than that
 * row's block. Nor of a row that goes on with the id of the row before it
 * (at its end): its first instruction is of the same block or of a block
 * with no location laid out after it, for which GCC can write a row that
 * repeats the location before it (a lone `ret` after a loop). A row whose
 * own range is empty (the next row starts at its address) has no
 * instruction and gives no entry: its block may have run.
 * A name several functions carry (statics of several files) gets none:
 * the plugin could not tell whose blocks they are.
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof.h"

#include <elfutils/libdw.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ol_exe.h"
#include "ol_util.h"

#define BLOCKIDS ".olayout.blockids"

/* One row's block: its function (a unit), id and count. */
struct blk {
	size_t func;
	unsigned id;
	uint64_t count;
};

struct blocks {
	const struct ol_prof *p;
	const char **names;	/* the marker's names, sorted, into the section's data */
	size_t nnames;
	bool *listed;		/* per unit: a function the marker lists, its name unique */
	struct blk *b;
	size_t n, cap;
	struct ol_prof_row last;	/* the last row with an instruction */
};

static int by_name(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The marker section of elf: its data, or an error naming exe. */
static int marker(const struct ol_elf *elf, const char *exe, Elf_Data **data, struct ol_err *err)
{
	size_t s = ol_elf_find(elf, BLOCKIDS);
	if (s == 0)
		return ol_fail(err, -EINVAL, "%s: no %s section: not built with the plugin's "
			       "block-ids (olayout-cc --olayout-block-profile=FILE, or "
			       "-fplugin-arg-olayout-block-ids)", exe, BLOCKIDS);
	*data = elf->sec[s].data;
	return 0;
}

int ol_prof_blockids_check(const char *exe, struct ol_err *err)
{
	struct ol_exe x;
	Elf_Data *data;
	memset(&x, 0, sizeof x);
	int rc = ol_exe_open(&x, exe, err);
	if (rc == 0)
		rc = marker(&x.elf, exe, &data, err);
	ol_exe_close(&x);
	return rc;
}

/* The names the marker lists, sorted (a name may be listed by several
 * units of the build: comdat copies); its last name must end in a NUL. */
static int read_names(struct blocks *B, struct ol_err *err)
{
	Elf_Data *data = NULL;
	int rc = marker(B->p->m->elf, B->p->exe, &data, err);
	const char *s = data ? data->d_buf : NULL;
	size_t len = data ? data->d_size : 0, cap = 0;
	if (rc < 0)
		return rc;
	if (len && s[len - 1] != '\0')
		return ol_fail(err, -EINVAL, "%s: %s does not end in a NUL byte", B->p->exe,
			       BLOCKIDS);
	for (size_t at = 0; at < len; at += strlen(s + at) + 1) {
		if (ol_grow((void **)&B->names, &cap, B->nnames + 1, sizeof *B->names) < 0)
			return ol_fail(err, -ENOMEM, "%s: out of memory", B->p->exe);
		B->names[B->nnames++] = s + at;
	}
	if (B->nnames)
		qsort(B->names, B->nnames, sizeof *B->names, by_name);
	return 0;
}

/* No unit but u carries u's name (a global and a static of one name are
 * two functions to the plugin's lookup too). */
static bool name_alone(const struct ol_model *m, size_t u)
{
	const char *name = m->unit[u].name;
	for (size_t i = ol_model_first_name(m, name);
	     i < m->nname && strcmp(m->names[i].name, name) == 0; i++)
		if (m->names[i].unit != u)
			return false;
	return true;
}

/* Which functions' discriminators are ids: listed, a name the format can
 * hold, and no other function of that name. */
static int mark_listed(struct blocks *B, struct ol_err *err)
{
	const struct ol_model *m = B->p->m;
	B->listed = calloc(m->nunit ? m->nunit : 1, sizeof *B->listed);
	if (!B->listed)
		return ol_fail(err, -ENOMEM, "%s: out of memory", B->p->exe);
	size_t shared = 0;
	for (size_t u = 0; u < m->nunit; u++) {
		const char *name = m->unit[u].name;
		if (m->unit[u].frag || m->unit[u].orig >= 0 || !ol_profile_is_symbol(name) ||
		    !bsearch(&name, B->names, B->nnames, sizeof *B->names, by_name))
			continue;
		bool alone = name_alone(m, u);
		B->listed[u] = alone;
		shared += !alone;
	}
	if (shared)
		ol_warn("%s: %zu functions listed in %s share their names with others: no block "
			"entries for them", B->p->exe, shared, BLOCKIDS);
	return 0;
}

/* Whether row r goes on from the row before it: at its end, in its
   unit, with its id. Its first instruction is then no block's first:
   either of the same block, or of a block with no location of its own
   laid out after it (a lone `ret`), for which GCC can write a row that
   repeats the id before it. */
static bool goes_on(const struct blocks *B, const struct ol_prof_row *r)
{
	return B->last.hi == r->lo && B->last.unit == r->unit && B->last.disc == r->disc;
}

/* One row that starts a block: its block's count (its first
   instruction's), when its function is listed and ran. */
static int add_row(void *arg, const struct ol_prof_row *r, struct ol_err *err)
{
	struct blocks *B = arg;
	size_t func = B->p->m->unit[r->unit].func;
	if (r->empty)
		return 0;
	bool on = goes_on(B, r);
	B->last = *r;
	if (r->disc == 0 || on || !B->listed[func] || !B->p->fn_ran[r->unit])
		return 0;
	if (ol_grow((void **)&B->b, &B->cap, B->n + 1, sizeof *B->b) < 0)
		return ol_fail(err, -ENOMEM, "%s: out of memory", B->p->exe);
	/* [lo, lo + 1): the instruction at lo alone */
	uint64_t count = ol_prof_max_count(B->p, r->lo, r->lo + 1);
	B->b[B->n++] = (struct blk){func, r->disc, count};
	return 0;
}

static int by_block(const void *x, const void *y)
{
	const struct blk *a = x, *b = y;
	if (a->func != b->func)
		return (a->func > b->func) - (a->func < b->func);
	return (a->id > b->id) - (a->id < b->id);
}

/* Rows of one block: the largest count. */
static void fold_block(void *into, const void *from)
{
	struct blk *a = into;
	const struct blk *b = from;
	a->count = b->count > a->count ? b->count : a->count;
}

/* One line per function and id, with its largest count. */
static void print_blocks(struct blocks *B, FILE *out)
{
	size_t n = ol_sort_fold(B->b, B->n, sizeof *B->b, by_block, fold_block);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "block %s %u %" PRIu64 "\n", B->p->m->unit[B->b[i].func].name,
			B->b[i].id, B->b[i].count);
}

int ol_prof_blocks(const struct ol_prof *p, FILE *out, struct ol_err *err)
{
	struct blocks B = {.p = p};
	Dwarf *dw = NULL;
	int rc = read_names(&B, err);

	if (rc == 0)
		rc = mark_listed(&B, err);
	if (rc == 0 && !(dw = dwarf_begin_elf(p->m->elf->e, DWARF_C_READ, NULL)))
		rc = ol_fail(err, -EINVAL, "%s: no DWARF line table (build with -g): no block ids",
			     p->exe);
	if (rc == 0)
		rc = ol_prof_all_rows(p, dw, add_row, &B, err);
	if (rc == 0)
		print_blocks(&B, out);
	free(B.names);
	free(B.listed);
	free(B.b);
	dwarf_end(dw);
	return rc;
}
