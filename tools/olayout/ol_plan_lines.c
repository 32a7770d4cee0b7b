/* ol_plan_lines.c - hot and cold bytes inside a unit, per 16-byte chunk
 * of each hot unit: from the profile's `insn` counts (version 4) where it
 * has them, a chunk's heat the instructions run in it; else from its
 * `line` counts (version 2) placed on the code through the DWARF line
 * table (libdw), a chunk's heat about the instructions it ran (its largest
 * line count times the 4 instructions 16 bytes hold; a line's count goes
 * to every copy of it, inlined or split off, so this overcounts). Chunks
 * nothing counted covers are cold, and so is code run less than once per
 * two training units (start-up code seen in a loop's profile: it takes no
 * set worth keeping). Without either, heat stays uniform over a unit. */
#include "ol_plan.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 16

/* cover: the rows' code [a, b) ran count times: raise the chunks of the
 * hot units it overlaps (seen: per unit, a counted line reached it). */
static void cover(struct ol_plan *pl, uint64_t a, uint64_t b, uint64_t count, bool *seen)
{
	const struct ol_model *m = pl->m;
	long u = ol_unit_at(m, a);

	for (; u >= 0 && (size_t)u < m->nunit && m->unit[u].addr < b; u++) {
		const struct ol_unit *un = &m->unit[u];
		uint64_t lo = a > un->addr ? a : un->addr;
		uint64_t hi = b < un->addr + un->size ? b : un->addr + un->size;
		uint64_t *ch = pl->pu[u].chunk;

		seen[u] = true;
		for (uint64_t k = (lo - un->addr) / CHUNK; ch && lo < hi && k <= (hi - 1 - un->addr) / CHUNK; k++)
			if (count * 4 > ch[k])
				ch[k] = count * 4;
	}
}

/* line_count: the profile's count of src:line; a relative src is tried
 * under the CU's directory first (callgrind names files so). */
static bool line_count(const struct ol_profile *p, const char *dir, const char *src,
		       unsigned long line, uint64_t *count)
{
	char buf[4096];

	if (src[0] != '/' && dir && snprintf(buf, sizeof buf, "%s/%s", dir, src) < (int)sizeof buf &&
	    ol_profile_line_count(p, buf, line, count) && *count)
		return true;
	return ol_profile_line_count(p, src, line, count) && *count;
}

/* rows: every row of one CU's line table. */
static void rows(struct ol_plan *pl, Dwarf_Die *cu, bool *seen)
{
	Dwarf_Attribute at;
	const char *dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &at));
	Dwarf_Lines *lines;
	size_t n;

	if (dwarf_getsrclines(cu, &lines, &n) != 0)
		return;
	for (size_t i = 0; i + 1 < n; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i), *next = dwarf_onesrcline(lines, i + 1);
		Dwarf_Addr a, b;
		bool end;
		int line;
		uint64_t count;
		const char *src;

		if (!l || !next || dwarf_lineendsequence(l, &end) != 0 || end ||
		    dwarf_lineaddr(l, &a) != 0 || dwarf_lineaddr(next, &b) != 0 || b <= a ||
		    dwarf_lineno(l, &line) != 0 || line <= 0 ||
		    (src = dwarf_linesrc(l, NULL, NULL)) == NULL)
			continue;
		if (line_count(pl->prof, dir, src, (unsigned long)line, &count))
			cover(pl, a, b, ol_plan_warm(pl, count) ? count : 0, seen);
	}
}

/* from_insns: each instruction's count onto its chunk (seen: per unit,
 * an instruction of it is counted); an offset past the unit (a profile of
 * another build) is left out. A function's entries come in one run (the
 * writer sorts them), so its name is looked up once per run. */
static void from_insns(struct ol_plan *pl, bool *seen)
{
	const char *name = NULL;
	long u = -1;

	for (size_t i = 0; i < pl->prof->n_insns; i++) {
		const struct ol_profile_insn *x = &pl->prof->insns[i];

		/* the parser shares a run's name: a pointer compare mostly */
		if (name != x->function && (name == NULL || strcmp(name, x->function) != 0))
			u = ol_unit_named(pl->m, name = x->function);

		if (u < 0 || !pl->pu[u].chunk || x->offset >= pl->m->unit[u].size)
			continue;
		seen[u] = true;
		if (ol_plan_warm(pl, x->count))
			pl->pu[u].chunk[x->offset / CHUNK] += x->count;
	}
}

/* A unit no counted line reached keeps uniform heat (no DWARF for it, or
 * the profile names its files otherwise). */
static void drop_unseen(struct ol_plan *pl, const bool *seen)
{
	for (size_t u = 0; u < pl->m->nunit; u++) {
		struct ol_pu *pu = &pl->pu[u];

		if (pu->chunk && !seen[u]) {
			free(pu->chunk);
			pu->chunk = NULL;
		}
		pl->nchunked += pu->chunk != NULL;
	}
}

/* alloc_chunks: a zeroed chunk array per hot unit (plan_close frees them). */
static bool alloc_chunks(struct ol_plan *pl)
{
	for (size_t u = 0; u < pl->m->nunit; u++)
		if (pl->pu[u].role != OL_COLD) {
			pl->pu[u].chunk = calloc(pl->m->unit[u].size / CHUNK + 1, sizeof(uint64_t));
			if (pl->pu[u].chunk == NULL)
				return false;
		}
	return true;
}

int ol_plan_lines(struct ol_plan *pl, struct ol_err *err)
{
	bool exact = pl->prof->n_insns > 0;
	Dwarf *dw = NULL;
	Dwarf_Off off = 0, next;
	size_t hsize;
	bool *seen;

	if (!exact && pl->prof->n_lines == 0)
		return 0;
	if (!exact && (dw = dwarf_begin_elf(pl->m->elf->e, DWARF_C_READ, NULL)) == NULL)
		return 0;
	seen = calloc(pl->m->nunit + 1, sizeof *seen);
	if (seen == NULL || !alloc_chunks(pl)) {
		dwarf_end(dw);
		free(seen);
		return ol_fail(err, -ENOMEM, "out of memory");
	}
	if (exact)
		from_insns(pl, seen);
	while (dw && dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;

		if (dwarf_offdie(dw, off + hsize, &cu) != NULL)
			rows(pl, &cu, seen);
		off = next;
	}
	dwarf_end(dw);
	drop_unseen(pl, seen);
	free(seen);
	return 0;
}
