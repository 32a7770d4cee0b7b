/*
 * ol_prof_paths.c - proposed paths (--paths N), from the call graph of the
 * executable's functions in the measured run (indirect calls included):
 *
 * - the region's tops are the functions that ran but were never called from
 *   the executable's own code in the region (main, called from libc, or the
 *   function that was running when the region began);
 * - the candidate roots are the functions the tops call, heaviest inclusive
 *   count first; each path starts at the heaviest root not yet taken;
 * - from the root, the path follows the call edge with the largest count to
 *   a function not yet on any path, until a leaf;
 * - a function called from LIB_CALLERS or more functions is library-like: it
 *   is never a path member; the library-like functions that path members
 *   call become `library` marks.
 * Ties go by name, so the result is deterministic. Fragments (fn.cold) and
 * names the profile format cannot hold are left out.
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof.h"

#include <stdlib.h>
#include <string.h>

#define LIB_CALLERS 3

struct graph {
	const struct ol_prof *p;
	size_t *off;		/* edges of unit u: off[u] .. off[u + 1] */
	unsigned *callers;	/* distinct callers in the executable */
	bool *top, *taken, *library;
};

static bool usable(const struct graph *g, size_t u)
{
	const struct ol_unit *un = &g->p->m->unit[u];
	return g->p->ran[u] && !un->frag && ol_profile_is_symbol(un->name);
}

static bool library_like(const struct graph *g, size_t u)
{
	return g->callers[u] >= LIB_CALLERS;
}

/* a heavier than b: count, then inclusive count, then name. */
static bool heavier(const struct graph *g, uint64_t ca, size_t a, uint64_t cb, size_t b)
{
	if (ca != cb)
		return ca > cb;
	if (g->p->incl[a] != g->p->incl[b])
		return g->p->incl[a] > g->p->incl[b];
	return strcmp(g->p->m->unit[a].name, g->p->m->unit[b].name) < 0;
}

/* The heaviest callee of u that may join a path, or -1; marks u's
 * library-like callees. */
static long next_member(struct graph *g, size_t u)
{
	const struct ol_prof *p = g->p;
	long best = -1;
	uint64_t best_count = 0;
	for (size_t e = g->off[u]; e < g->off[u + 1]; e++) {
		size_t v = p->edge[e].to;
		if (!usable(g, v) || v == u)
			continue;
		if (library_like(g, v)) {
			g->library[v] = !g->taken[v];
			continue;
		}
		if (!g->taken[v] && (best < 0 || heavier(g, p->edge[e].count, v, best_count,
							  (size_t)best))) {
			best = (long)v;
			best_count = p->edge[e].count;
		}
	}
	return best;
}

/* The heaviest root not taken, or -1. */
static long next_root(const struct graph *g)
{
	const struct ol_prof *p = g->p;
	long best = -1;
	for (size_t e = 0; e < p->nedge; e++) {
		size_t v = p->edge[e].to;
		if (!g->top[p->edge[e].from] || g->top[v] || !usable(g, v) || g->taken[v] ||
		    library_like(g, v))
			continue;
		if (best < 0 || heavier(g, p->incl[v], v, p->incl[best], (size_t)best))
			best = (long)v;
	}
	return best;
}

/* One path from root into out (text), its members taken; false when the
 * root calls nothing that may join. */
static bool one_path(struct graph *g, size_t root, FILE *out)
{
	const struct ol_model *m = g->p->m;
	g->taken[root] = true;
	long v = next_member(g, root);
	if (v < 0)
		return false;
	fprintf(out, "path %s %s", m->unit[root].name, m->unit[root].name);
	for (; v >= 0; v = next_member(g, (size_t)v)) {
		g->taken[v] = true;
		fprintf(out, " %s", m->unit[v].name);
	}
	fputc('\n', out);
	return true;
}

int ol_prof_paths(const struct ol_prof *p, unsigned n, FILE *out, struct ol_err *err)
{
	size_t nu = p->m->nunit;
	struct graph g = {.p = p};
	g.off = calloc(nu + 1, sizeof *g.off);
	g.callers = calloc(nu + 1, sizeof *g.callers);
	g.top = calloc(nu + 1, sizeof *g.top);
	g.taken = calloc(nu + 1, sizeof *g.taken);
	g.library = calloc(nu + 1, sizeof *g.library);
	int rc = 0;
	if (!g.off || !g.callers || !g.top || !g.taken || !g.library) {
		rc = ol_fail(err, -ENOMEM, "%s: out of memory", p->exe);
		goto out;
	}
	for (size_t u = 0; u < nu; u++)
		g.top[u] = p->ran[u];
	for (size_t e = 0; e < p->nedge; e++) { /* edges are sorted by caller */
		g.off[p->edge[e].from + 1]++;
		if (p->edge[e].from != p->edge[e].to) {
			g.callers[p->edge[e].to]++;
			g.top[p->edge[e].to] = false;
		}
	}
	for (size_t u = 0; u < nu; u++)
		g.off[u + 1] += g.off[u];
	for (unsigned made = 0; made < n;) {
		long root = next_root(&g);
		if (root < 0)
			break;
		made += one_path(&g, (size_t)root, out);
	}
	for (size_t u = 0; u < nu; u++)
		if (g.library[u])
			fprintf(out, "library %s\n", p->m->unit[u].name);
out:
	free(g.off);
	free(g.callers);
	free(g.top);
	free(g.taken);
	free(g.library);
	return rc;
}
