/* ol_prof_count.c - callgrind's counts onto the executable's units. */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ol_util.h"

const char *ol_prof_base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* An object callgrind names is the executable when it is the same file, or,
 * when its path no longer exists, has the same base name. */
bool ol_prof_is_exe(const char *ob, const char *exe, const struct stat *st)
{
	struct stat o;
	if (stat(ob, &o) == 0)
		return o.st_dev == st->st_dev && o.st_ino == st->st_ino;
	return strcmp(ol_prof_base_name(ob), ol_prof_base_name(exe)) == 0;
}

static int by_addr(const void *a, const void *b)
{
	const struct ol_prof_insn *x = a, *y = b;
	return (x->addr > y->addr) - (x->addr < y->addr);
}

static int by_edge(const void *a, const void *b)
{
	const struct ol_prof_edge *x = a, *y = b;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return (x->to > y->to) - (x->to < y->to);
}

/* The executable's instructions, sorted, counts of one address summed. */
static int exe_insns(struct ol_prof *p, struct ol_err *err)
{
	const struct ol_cg *cg = p->cg;
	size_t n = 0;
	p->insn = malloc((cg->ninsn ? cg->ninsn : 1) * sizeof *p->insn);
	if (!p->insn)
		return ol_fail(err, -ENOMEM, "%s: out of memory", p->exe);
	for (size_t i = 0; i < cg->ninsn; i++)
		if (p->exe_ob[cg->insn[i].ob])
			p->insn[n++] = (struct ol_prof_insn){cg->insn[i].addr, cg->insn[i].count};
	qsort(p->insn, n, sizeof *p->insn, by_addr);
	p->ninsn = 0;
	for (size_t i = 0; i < n; i++) {
		if (p->ninsn && p->insn[p->ninsn - 1].addr == p->insn[i].addr)
			p->insn[p->ninsn - 1].count += p->insn[i].count;
		else
			p->insn[p->ninsn++] = p->insn[i];
	}
	for (size_t i = 0; i < p->ninsn; i++) {
		long u = ol_unit_at(p->m, p->insn[i].addr);
		if (u >= 0) {
			p->self[u] += p->insn[i].count;
			p->ran[u] = true;
			p->fn_ran[p->m->unit[u].func] = true;
		}
	}
	for (size_t u = 0; u < p->m->nunit; u++)
		p->fn_ran[u] = p->fn_ran[p->m->unit[u].func];
	return 0;
}

/* Entries and inclusive counts per unit; edges between the executable's
 * units (calls from or to other objects are not edges). */
static int exe_calls(struct ol_prof *p, struct ol_err *err)
{
	const struct ol_cg *cg = p->cg;
	size_t cap = 0, n = 0;
	for (size_t i = 0; i < cg->ncall; i++) {
		const struct ol_cg_call *c = &cg->call[i];
		long to = p->exe_ob[c->cob] ? ol_unit_at(p->m, c->to) : -1;
		long from = p->exe_ob[c->ob] ? ol_unit_at(p->m, c->from) : -1;
		if (to < 0)
			continue;
		p->calls[to] += c->count;
		p->incl[to] += c->incl;
		if (from < 0)
			continue;
		if (ol_grow((void **)&p->edge, &cap, n + 1, sizeof *p->edge) < 0)
			return ol_fail(err, -ENOMEM, "%s: out of memory", p->exe);
		p->edge[n++] = (struct ol_prof_edge){(size_t)from, (size_t)to, c->count};
	}
	if (n)
		qsort(p->edge, n, sizeof *p->edge, by_edge);
	p->nedge = 0;
	for (size_t i = 0; i < n; i++) {
		struct ol_prof_edge *last = p->nedge ? &p->edge[p->nedge - 1] : NULL;
		if (last && last->from == p->edge[i].from && last->to == p->edge[i].to)
			last->count += p->edge[i].count;
		else
			p->edge[p->nedge++] = p->edge[i];
	}
	return 0;
}

int ol_prof_count(struct ol_prof *p, const struct ol_cg *cg, const struct ol_model *m,
		  const char *exe, struct ol_err *err)
{
	struct stat st;
	size_t nu = m->nunit ? m->nunit : 1;
	bool any = false;

	memset(p, 0, sizeof *p);
	p->exe = exe;
	p->m = m;
	p->cg = cg;
	if (stat(exe, &st) < 0)
		return ol_fail(err, -errno, "%s: %s", exe, strerror(errno));
	p->exe_ob = calloc(cg->nnames[OL_CG_OB] + 1, sizeof *p->exe_ob);
	p->self = calloc(nu, sizeof *p->self);
	p->calls = calloc(nu, sizeof *p->calls);
	p->incl = calloc(nu, sizeof *p->incl);
	p->ran = calloc(nu, sizeof *p->ran);
	p->fn_ran = calloc(nu, sizeof *p->fn_ran);
	if (!p->exe_ob || !p->self || !p->calls || !p->incl || !p->ran || !p->fn_ran)
		return ol_fail(err, -ENOMEM, "%s: out of memory", exe);
	for (size_t i = 0; i < cg->nnames[OL_CG_OB]; i++) {
		const char *ob = cg->names[OL_CG_OB][i];
		p->exe_ob[i] = ob && ol_prof_is_exe(ob, exe, &st);
		any |= p->exe_ob[i];
	}
	if (!any)
		return ol_fail(err, -EINVAL, "%s: no code of it ran in this callgrind run "
			       "(a run of another program?)", exe);
	int rc = exe_insns(p, err);
	return rc < 0 ? rc : exe_calls(p, err);
}

void ol_prof_free(struct ol_prof *p)
{
	free(p->exe_ob);
	free(p->insn);
	free(p->self);
	free(p->calls);
	free(p->incl);
	free(p->ran);
	free(p->fn_ran);
	free(p->edge);
	memset(p, 0, sizeof *p);
}
