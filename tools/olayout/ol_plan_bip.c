/* ol_plan_bip.c - the bipartite layout of Mosberger et al. (SIGCOMM 1996)
 * with cloning: each path's functions (their hot parts) are cloned for the
 * path and the calls among them routed to the clones. For a single pass
 * (the profile's `training` 1) the clones go in call order, path by path,
 * library code follows on other sets, then the other hot code; where the
 * workload repeats (`training` > 1: a round trip) every hot unit goes
 * hottest first, clones included, as `color` orders them (ol_plan_color.c).
 * Every unit goes, first fit, where its lines find sets with a free way,
 * skipping the sets that code the plan cannot move (shared libraries, the
 * PLT, unmovable code) takes; where nothing is free, it goes on top of
 * the least-run lines. The originals of the clones follow at the same
 * cache offsets as their clones (a whole number of ways further), so a
 * program that does not bind its paths to the clones runs the same sets.
 * A member that code outside its path calls too (tcpping: tcp_pop, on the
 * receive path, sends its ACK through the send path's tcp_output) is not
 * cloned: its clone would run for the path and the original for the others,
 * two copies of hot code; the original is placed as library code and calls
 * its path's clones. */
#include "ol_plan.h"

#include <stdlib.h>
#include <string.h>

#include "ol_util.h"

/* The originals of the path code placed: each follows at the cache offset
 * of its clone. */
struct shadows {
	struct ol_pplace *q;	/* unit: the original, addr: its clone's */
	size_t n, cap;
};

/* existing: the clone of unit u for path p an earlier rewrite made, or -1. */
static long existing(const struct ol_plan *pl, size_t u, int p)
{
	const char *name = pl->prof->paths[p].name;

	for (size_t v = 0; v < pl->m->nunit; v++)
		if (pl->m->unit[v].orig == (long)u && pl->m->unit[v].path &&
		    strcmp(pl->m->unit[v].path, name) == 0)
			return (long)v;
	return -1;
}

/* path_code: unit u's code for path p: a new clone, or the clone an earlier
 * rewrite made (moved, with u's counts), with u to follow as its shadow. */
static int path_code(struct ol_plan *pl, size_t u, int p, struct shadows *sh, bool *cloned,
		     struct ol_err *err)
{
	long old = existing(pl, u, p);
	int rc;

	if (old >= 0 && !pl->pu[old].placeable)
		return 0;
	if (old >= 0) {
		struct ol_pu *c = &pl->pu[old];
		uint64_t *chunk = c->chunk;	/* a clone has no DWARF: no chunks */

		*c = pl->pu[u];
		c->chunk = chunk;
		c->placeable = true;
	}
	rc = ol_plan_fit(pl, old >= 0 ? (size_t)old : u, old >= 0 ? -1 : p, OL_PATH, err);
	*cloned = old < 0;
	if (rc == 0 && ol_grow((void **)&sh->q, &sh->cap, sh->n + 1, sizeof *sh->q))
		return ol_fail(err, -ENOMEM, "out of memory");
	if (rc == 0)
		sh->q[sh->n++] = (struct ol_pplace){ .unit = u, .addr = pl->place[pl->nplace - 1].addr };
	return rc;
}

/* member: function u of path p and its hot fragments. */
static int member(struct ol_plan *pl, size_t u, int p, struct shadows *sh, bool *cloned,
		  struct ol_err *err)
{
	bool frag_cloned;
	int rc = path_code(pl, u, p, sh, cloned, err);

	for (size_t v = 0; v < pl->m->nunit && rc == 0; v++)
		if (pl->m->unit[v].frag && pl->m->unit[v].func == u && pl->pu[v].placeable &&
		    pl->pu[v].role == OL_PATH)
			rc = path_code(pl, v, p, sh, &frag_cloned, err);
	return rc;
}

/* mark_paths: the sets the clones placed since place first take, owner
 * per set the path of its clone code; a set two paths share counts once
 * in *overlap. */
static void mark_paths(const struct ol_plan *pl, size_t first, int p, int *owner,
		       size_t *overlap)
{
	const struct ol_sets *s = &pl->sets;

	for (size_t i = first; i < pl->nplace; i++) {
		const struct ol_pplace *q = &pl->place[i];
		uint64_t end = q->addr + pl->m->unit[q->unit].size;

		for (uint64_t l = q->addr / s->line; l <= (end - 1) / s->line; l++) {
			int *o = &owner[l % s->nsets];

			if (*o >= 0 && *o != p && *o != INT32_MAX) {
				(*overlap)++;
				*o = INT32_MAX;
			} else if (*o < 0) {
				*o = p;
			}
		}
	}
}

/* The path code's bookkeeping: the originals to follow, per member of a
 * path whether it got a new clone, per set the path whose clones took it. */
struct bip {
	struct shadows sh;
	bool *cloned;
	bool *shared;	/* per member: placed as library code, not cloned */
	int *owner;
	size_t overlap;
};

/* in_path: unit u (or its function) is a member of path p. */
static bool in_path(const struct ol_plan *pl, size_t u, int p)
{
	size_t f = pl->m->unit[u].func;

	for (size_t i = 0; i < pl->npmem; i++)
		if (pl->pmem[i].path == p && pl->pmem[i].unit == f)
			return true;
	return false;
}

/* shared: member i is called by members of its path and, often enough to
 * be worth a line, by code outside it (a root is entered from outside
 * only: it is the path's). */
static bool shared(const struct ol_plan *pl, size_t i)
{
	const struct ol_pmember *a = &pl->pmem[i];
	uint64_t inside = 0, outside = 0;

	for (size_t e = 0; e < pl->nedge; e++)
		if (pl->edge[e].to == a->unit) {
			if (in_path(pl, pl->edge[e].from, a->path))
				inside += pl->edge[e].count;
			else
				outside += pl->edge[e].count;
		}
	return inside && ol_plan_warm(pl, outside);
}

/* path_member: member i of a path (pl->pmem) as path code, or as library
 * code where it is shared; with its hot fragments unless frags is false. */
static int path_member(struct ol_plan *pl, size_t i, bool frags, struct bip *b,
		       struct ol_err *err)
{
	const struct ol_pmember *a = &pl->pmem[i];
	size_t first = pl->nplace;
	int rc;

	if (b->shared[i])
		return pl->placed[a->unit] ? 0 : ol_plan_fit(pl, a->unit, -1, OL_LIB, err);
	rc = frags ? member(pl, a->unit, a->path, &b->sh, &b->cloned[i], err)
		   : path_code(pl, a->unit, a->path, &b->sh, &b->cloned[i], err);
	if (rc == 0)
		mark_paths(pl, first, a->path, b->owner, &b->overlap);
	return rc;
}

/* fragment: hot fragment v of a member function, as that function was
 * placed: cloned for each path that cloned it, else as the original. */
static int fragment(struct ol_plan *pl, size_t v, struct bip *b, struct ol_err *err)
{
	size_t f = pl->m->unit[v].func;
	bool cloned, any = false;
	int rc = 0;

	for (size_t k = 0; k < pl->npmem && rc == 0; k++)
		if (pl->pmem[k].unit == f && !b->shared[k]) {
			size_t first = pl->nplace;

			any = true;
			rc = path_code(pl, v, pl->pmem[k].path, &b->sh, &cloned, err);
			if (rc == 0)
				mark_paths(pl, first, pl->pmem[k].path, b->owner, &b->overlap);
		}
	if (rc == 0 && !any && !pl->placed[v])
		rc = ol_plan_fit(pl, v, -1, OL_LIB, err);
	return rc;
}

/* routes: the new clones of a path call each other; a shared member's
 * original calls them too. */
static int routes(struct ol_plan *pl, const struct bip *b, struct ol_err *err)
{
	int rc = 0;

	for (size_t i = 0; i < pl->npmem && rc == 0; i++)
		for (size_t k = 0; k < pl->npmem && rc == 0 && b->cloned[i]; k++) {
			const struct ol_pmember *x = &pl->pmem[i], *y = &pl->pmem[k];

			if (y->path != x->path || k == i)
				continue;
			if (b->shared[k] || (b->cloned[k] && k < i))
				rc = ol_plan_route(pl, y->unit, x->unit, x->path, err);
			if (rc == 0 && b->cloned[k] && k < i)
				rc = ol_plan_route(pl, x->unit, y->unit, x->path, err);
		}
	return rc;
}

/* in_order: a single pass: the path code path by path in call order, then
 * the library, then the rest, in Pettis & Hansen's order. */
static int in_order(struct ol_plan *pl, struct bip *b, struct ol_err *err)
{
	size_t *hot = NULL, n = 0;
	int rc = 0;

	for (size_t i = 0; i < pl->npmem && rc == 0; i++)
		rc = path_member(pl, i, true, b, err);
	if (rc == 0)
		rc = ol_plan_ph_order(pl, &hot, &n, err);
	for (int role = OL_LIB; role >= OL_OTHER && rc == 0; role--)
		for (size_t i = 0; i < n && rc == 0; i++)
			if ((int)pl->pu[hot[i]].role == role && !pl->placed[hot[i]])
				rc = ol_plan_fit(pl, hot[i], -1, role, err);
	free(hot);
	return rc;
}

/* hottest: a workload that repeats (training > 1) cycles its whole hot set
 * through the cache: every hot unit (function or fragment) hottest first
 * (ol_plan_color.c), so the lines that must share a set are the least run;
 * a path member's as the path's clone, each time it comes. */
static int hottest(struct ol_plan *pl, struct bip *b, struct ol_err *err)
{
	size_t *hot = NULL, n = 0;
	int rc = ol_plan_hot_order(pl, &hot, &n, err);

	for (size_t i = 0; i < n && rc == 0; i++) {
		size_t v = hot[i];
		int role = (int)pl->pu[v].role;

		if (role == OL_PATH && pl->m->unit[v].frag)
			rc = fragment(pl, v, b, err);
		else if (role != OL_PATH && !pl->placed[v])
			rc = ol_plan_fit(pl, v, -1, role, err);
		for (size_t k = 0; k < pl->npmem && rc == 0 && role == OL_PATH; k++)
			if (pl->pmem[k].unit == v)
				rc = path_member(pl, k, false, b, err);
	}
	free(hot);
	return rc;
}

/* follow: the originals, each a whole number of ways after its clone,
 * after everything else. */
static int follow(struct ol_plan *pl, const struct shadows *sh, struct ol_err *err)
{
	uint64_t shift = 0;
	int rc = 0;

	for (size_t i = 0; i < sh->n && rc == 0; i++) {
		const struct ol_pplace *q = &sh->q[i];

		if (pl->placed[q->unit])
			continue;
		if (q->addr + shift < pl->cursor)
			shift += (pl->cursor - q->addr - shift + pl->sets.way - 1) / pl->sets.way *
				 pl->sets.way;
		rc = ol_plan_put(pl, q->unit, -1, q->addr + shift, err);
		if (rc == 0)
			pl->place[pl->nplace - 1].shadow = true;
	}
	return rc;
}

int ol_plan_bip(struct ol_plan *pl, struct ol_err *err)
{
	struct bip b = { { NULL, 0, 0 }, calloc(pl->npmem + 1, sizeof *b.cloned),
			 calloc(pl->npmem + 1, sizeof *b.shared),
			 malloc((pl->sets.nsets + 1) * sizeof *b.owner), 0 };
	int rc = b.cloned && b.shared && b.owner ? 0 : ol_fail(err, -ENOMEM, "out of memory");

	for (uint64_t i = 0; b.owner && i < pl->sets.nsets; i++)
		b.owner[i] = -1;
	for (size_t i = 0; rc == 0 && i < pl->npmem; i++)
		b.shared[i] = shared(pl, i);
	if (rc == 0)
		rc = pl->prof->training > 1 ? hottest(pl, &b, err) : in_order(pl, &b, err);
	if (rc == 0)
		rc = routes(pl, &b, err);
	if (rc == 0)
		rc = follow(pl, &b.sh, err);
	free(b.sh.q);
	free(b.cloned);
	free(b.shared);
	free(b.owner);
	if (rc == 0 && b.overlap)
		snprintf(pl->note, sizeof pl->note,
			 "the paths share %zu sets (their least-run lines, where the clones did not fit apart)",
			 b.overlap);
	return rc;
}
