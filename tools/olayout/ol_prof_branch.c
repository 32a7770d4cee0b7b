/*
 * ol_prof_branch.c - `branch` entries: every conditional jump of the
 * executable that ran, by the source locations of the jump, of its target
 * and of the instruction after it (the DWARF line table's rows covering
 * them), with how often each exit was followed: the jump's own count less
 * callgrind's taken count (jcnd) falls through. Jumps of one location with
 * the same exits' locations (a loop's test before the loop and at its end)
 * add up. A compiler reading the profile maps them onto its conditions by
 * these locations, where line counts alone cannot tell a branch's exits
 * apart (plugin/fdo.cc). Samples give none: perf saw no jumps.
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ol_util.h"

struct loc {
	const char *file;	/* libdw's string, or into it */
	int line;
};

struct branch {
	struct loc at, taken, fall;
	uint64_t n_taken, n_fall;
};

struct walk {
	const struct ol_prof *p;
	Dwarf *dw;
	const struct ol_cg_jump *jump;	/* the executable's, by source address */
	size_t njump;
	struct branch *b;
	size_t n, cap;
};

/* The location of the instruction at addr; false when no row covers it. */
static bool loc_at(Dwarf *dw, uint64_t addr, struct loc *out)
{
	Dwarf_Die cu;
	Dwarf_Attribute attr;
	if (!dwarf_addrdie(dw, addr, &cu))
		return false;
	Dwarf_Line *l = dwarf_getsrc_die(&cu, addr);
	const char *file = l ? dwarf_linesrc(l, NULL, NULL) : NULL;
	if (!file || dwarf_lineno(l, &out->line) != 0 || out->line <= 0)
		return false;
	out->file = ol_prof_short_name(file, dwarf_formstring(dwarf_attr(&cu, DW_AT_comp_dir,
									   &attr)));
	return strpbrk(out->file, " \t#:") == NULL;
}

struct addr_key {
	const void *base;
	uint64_t addr;
};

static bool insn_before(const void *arg, size_t i)
{
	const struct addr_key *k = arg;
	return ((const struct ol_prof_insn *)k->base)[i].addr < k->addr;
}

static bool jump_before(const void *arg, size_t i)
{
	const struct addr_key *k = arg;
	return ((const struct ol_cg_jump *)k->base)[i].from < k->addr;
}

/* How often the instruction at addr ran. */
static uint64_t insn_count(const struct ol_prof *p, uint64_t addr)
{
	struct addr_key k = {p->insn, addr};
	size_t i = ol_lower_bound(p->ninsn, insn_before, &k);
	return i < p->ninsn && p->insn[i].addr == addr ? p->insn[i].count : 0;
}

/* How often the jump at from went to to. */
static uint64_t taken_count(const struct walk *w, uint64_t from, uint64_t to)
{
	struct addr_key k = {w->jump, from};
	uint64_t n = 0;
	for (size_t i = ol_lower_bound(w->njump, jump_before, &k);
	     i < w->njump && w->jump[i].from == from; i++)
		if (w->jump[i].to == to)
			n += w->jump[i].count;
	return n;
}

static int one_insn(void *arg, long unit, const struct ol_insn *in, uint64_t bad_addr, size_t r0,
		    size_t r1)
{
	struct walk *w = arg;
	(void)unit, (void)bad_addr, (void)r0, (void)r1;
	if (!in || !in->cond)
		return 0;
	uint64_t count = insn_count(w->p, in->addr);
	if (count == 0)
		return 0;
	struct branch b;
	if (!loc_at(w->dw, in->addr, &b.at) || !loc_at(w->dw, in->target, &b.taken) ||
	    !loc_at(w->dw, in->addr + in->size, &b.fall))
		return 0;
	b.n_taken = taken_count(w, in->addr, in->target);
	b.n_taken = b.n_taken < count ? b.n_taken : count;
	b.n_fall = count - b.n_taken;
	if (ol_grow((void **)&w->b, &w->cap, w->n + 1, sizeof *w->b) < 0)
		return -ENOMEM;
	w->b[w->n++] = b;
	return 0;
}

static int cmp_loc(const struct loc *a, const struct loc *b)
{
	int c = strcmp(a->file, b->file);
	return c ? c : (a->line > b->line) - (a->line < b->line);
}

static int by_exits(const void *x, const void *y)
{
	const struct branch *a = x, *b = y;
	int c = cmp_loc(&a->at, &b->at);
	if (c == 0)
		c = cmp_loc(&a->taken, &b->taken);
	return c ? c : cmp_loc(&a->fall, &b->fall);
}

static int by_source(const void *x, const void *y)
{
	const struct ol_cg_jump *a = x, *b = y;
	return (a->from > b->from) - (a->from < b->from);
}

static void print(struct walk *w, FILE *out)
{
	if (w->n)	/* w->b is NULL when no branch was seen: qsort wants an array */
		qsort(w->b, w->n, sizeof *w->b, by_exits);
	for (size_t i = 0; i < w->n;) {
		struct branch b = w->b[i];
		for (i++; i < w->n && by_exits(&w->b[i], &b) == 0; i++) {
			b.n_taken += w->b[i].n_taken;
			b.n_fall += w->b[i].n_fall;
		}
		fprintf(out, "branch %s:%d %s:%d %s:%d %" PRIu64 " %" PRIu64 "\n", b.at.file,
			b.at.line, b.taken.file, b.taken.line, b.fall.file, b.fall.line, b.n_taken,
			b.n_fall);
	}
}

/* The executable's conditional jumps that callgrind saw taken, by source. */
static int exe_jumps(struct walk *w)
{
	const struct ol_cg *cg = w->p->cg;
	struct ol_cg_jump *j = malloc((cg->njump ? cg->njump : 1) * sizeof *j);
	if (!j)
		return -ENOMEM;
	for (size_t i = 0; i < cg->njump; i++)
		if (w->p->exe_ob[cg->jump[i].ob])
			j[w->njump++] = cg->jump[i];
	qsort(j, w->njump, sizeof *j, by_source);
	w->jump = j;
	return 0;
}

int ol_prof_branches(const struct ol_prof *p, FILE *out, struct ol_err *err)
{
	struct walk w = {.p = p};
	struct ol_dis d;
	if (p->sampled || !(w.dw = dwarf_begin_elf(p->m->elf->e, DWARF_C_READ, NULL)))
		return 0;
	int rc = exe_jumps(&w);
	bool dis = rc == 0 && ol_dis_open(&d) == 0;
	if (rc == 0 && !dis)
		rc = -ENOMEM;
	for (size_t u = 0; rc == 0 && u < p->m->nunit; u++)
		if (p->ran[u])
			rc = ol_walk_unit(p->m, &d, u, one_insn, &w);
	if (rc == 0)
		print(&w, out);
	if (dis)
		ol_dis_close(&d);
	free(w.b);
	free((void *)w.jump);
	dwarf_end(w.dw);
	if (rc == 0 && ferror(out))
		rc = -EIO;
	return rc < 0 ? ol_fail(err, rc, "%s: branch entries: %s", p->exe, strerror(-rc)) : 0;
}
