/*
 * ol_prof_lines.c - `line` and `cold-line` entries: each row of the DWARF
 * line table (read by libdw) covers the instructions from its address to the
 * next row's; a location's count is the largest count of an instruction it
 * covers. A location none of whose instructions ran is cold when it is in a
 * function that ran. A row whose range is empty (the next row has the same
 * address) still covers the instruction at its address, so a location is
 * never called cold when an instruction of it ran; no row reaches past the
 * function (or fragment) its address is in. Samples give no cold-line: an
 * instruction no sample hit may have run.
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ol_util.h"

struct row {
	const char *file;	/* libdw's string, or into a CU's directory */
	unsigned long line;
	uint64_t count;
	bool in_ran;		/* in a function that ran */
};

struct lines {
	const struct ol_prof *p;
	struct row *row;
	size_t n, cap;
};

struct key {
	const struct ol_prof *p;
	uint64_t addr;
};

static bool insn_before(const void *arg, size_t i)
{
	const struct key *k = arg;
	return k->p->insn[i].addr < k->addr;
}

uint64_t ol_prof_max_count(const struct ol_prof *p, uint64_t lo, uint64_t hi)
{
	struct key key = {p, lo};
	uint64_t best = 0;
	for (size_t i = ol_lower_bound(p->ninsn, insn_before, &key);
	     i < p->ninsn && p->insn[i].addr < hi; i++)
		if (p->insn[i].count > best)
			best = p->insn[i].count;
	return best;
}

const char *ol_prof_short_name(const char *file, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;
	if (n && strncmp(file, dir, n) == 0 && file[n] == '/')
		return file + n + 1;
	return file;
}

int ol_prof_rows(const struct ol_prof *p, Dwarf_Die *cu, ol_prof_row_fn *fn, void *arg,
		 struct ol_err *err)
{
	Dwarf_Lines *lines;
	size_t n;
	Dwarf_Attribute attr;
	const char *dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &attr));
	int rc = 0;
	if (dwarf_getsrclines(cu, &lines, &n) != 0)
		return 0; /* a unit without a line table */
	for (size_t i = 0; rc == 0 && i + 1 < n; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		Dwarf_Addr a, b;
		int line;
		bool end;
		unsigned disc;
		const char *file = l ? dwarf_linesrc(l, NULL, NULL) : NULL;
		if (!file || dwarf_lineaddr(l, &a) || dwarf_lineno(l, &line) ||
		    dwarf_lineendsequence(l, &end) || dwarf_linediscriminator(l, &disc) ||
		    dwarf_lineaddr(dwarf_onesrcline(lines, i + 1), &b))
			return ol_fail(err, -EINVAL, "%s: bad DWARF line table: %s", p->exe,
				       dwarf_errmsg(-1));
		long u = ol_unit_at(p->m, a);
		file = ol_prof_short_name(file, dir);
		if (end || line <= 0 || u < 0 || strpbrk(file, " \t#"))
			continue;
		/* rows are sorted by address across sequences: the next one may
		 * be another function's; a row never reaches past its unit */
		const struct ol_unit *un = &p->m->unit[u];
		struct ol_prof_row r = {(size_t)u, a, b > a ? b : a + 1, b <= a, file,
					(unsigned long)line, disc};
		r.hi = r.hi < un->addr + un->size ? r.hi : un->addr + un->size;
		rc = fn(arg, &r, err);
	}
	return rc;
}

/* One row's location and count. */
static int add_row(void *arg, const struct ol_prof_row *r, struct ol_err *err)
{
	struct lines *L = arg;
	if (ol_grow((void **)&L->row, &L->cap, L->n + 1, sizeof *L->row) < 0)
		return ol_fail(err, -ENOMEM, "%s: out of memory", L->p->exe);
	L->row[L->n++] = (struct row){r->file, r->line, ol_prof_max_count(L->p, r->lo, r->hi),
				      L->p->fn_ran[r->unit]};
	return 0;
}

static int by_location(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	int c = strcmp(a->file, b->file);
	return c ? c : (a->line > b->line) - (a->line < b->line);
}

/* Rows of one location: the largest count; in a function that ran when
   one is. */
static void fold_row(void *into, const void *from)
{
	struct row *a = into;
	const struct row *b = from;
	a->count = b->count > a->count ? b->count : a->count;
	a->in_ran |= b->in_ran;
}

static void print_rows(struct lines *L, FILE *out)
{
	size_t n = ol_sort_fold(L->row, L->n, sizeof *L->row, by_location, fold_row);
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &L->row[i];
		if (r->count)
			fprintf(out, "line %s:%lu %" PRIu64 "\n", r->file, r->line, r->count);
		else if (r->in_ran && !L->p->sampled)
			fprintf(out, "cold-line %s:%lu\n", r->file, r->line);
	}
}

int ol_prof_all_rows(const struct ol_prof *p, Dwarf *dw, ol_prof_row_fn *fn, void *arg,
		     struct ol_err *err)
{
	Dwarf_CU *cu = NULL;
	Dwarf_Die die;
	uint8_t type;
	int rc = 0;

	while (rc == 0 && dwarf_get_units(dw, cu, &cu, NULL, &type, &die, NULL) == 0)
		if (type == DW_UT_compile || type == DW_UT_partial)
			rc = ol_prof_rows(p, &die, fn, arg, err);
	return rc;
}

int ol_prof_lines(const struct ol_prof *p, FILE *out, bool *none, struct ol_err *err)
{
	struct lines L = {.p = p};
	Dwarf *dw = dwarf_begin_elf(p->m->elf->e, DWARF_C_READ, NULL);

	*none = dw == NULL;
	if (!dw)
		return 0;
	int rc = ol_prof_all_rows(p, dw, add_row, &L, err);
	*none = L.n == 0;
	if (rc == 0)
		print_rows(&L, out);
	free(L.row);
	dwarf_end(dw);
	return rc;
}
