/* ol_plan_bip.c - the bipartite layout of Mosberger et al. (SIGCOMM 1996)
 * with cloning: each path's functions (their hot parts) are cloned for the
 * path and placed in call order, the calls among them routed to the
 * clones; library code follows on other sets; then the other hot code.
 * Every unit goes, first fit, where its lines find sets with a free way,
 * skipping the sets that code the plan cannot move (shared libraries, the
 * PLT, unmovable code) takes; where nothing is free, it goes on top of
 * the least-run lines. The originals of the clones follow at the same
 * cache offsets as their clones (a whole number of ways further), so a
 * program that does not bind its paths to the clones runs the same sets. */
#include "ol_plan.h"

#include <stdlib.h>

/* Past this much hot code (in cache sizes) looking for free sets is no use:
 * the rest goes in order. */
#define FIT_CACHES 4

/* fit: unit (a clone for path >= 0) first fit, its lines counted as role. */
static int fit(struct ol_plan *pl, size_t unit, int path, int role, struct ol_err *err)
{
	const struct ol_pu *pu = &pl->pu[unit];
	uint64_t at = (pl->cursor + pu->align - 1) & ~(pu->align - 1);
	struct ol_span sp;
	int rc;

	if (pl->hot_bytes < FIT_CACHES * pl->geom.size)
		at = ol_sets_best(&pl->sets, ol_plan_span(pl, unit, at), pu->align);
	rc = ol_plan_put(pl, unit, path, at, err);
	if (rc == 0) {
		sp = ol_plan_span(pl, unit, pl->place[pl->nplace - 1].addr);
		ol_sets_add(&pl->sets, &sp, role);
		pl->hot_bytes += sp.size;
	}
	return rc;
}

/* clone_frags: clones of function u's hot fragments for path. */
static int clone_frags(struct ol_plan *pl, size_t u, int path, struct ol_err *err)
{
	int rc = 0;

	for (size_t v = 0; v < pl->m->nunit && rc == 0; v++)
		if (pl->m->unit[v].frag && pl->m->unit[v].func == u && pl->pu[v].placeable &&
		    pl->pu[v].role == OL_PATH)
			rc = fit(pl, v, path, OL_PATH, err);
	return rc;
}

/* mark_paths: the sets the clones placed since place first take, owner
 * per set the path of its clone code; a set two paths share counts once
 * in *overlap. */
static void mark_paths(const struct ol_plan *pl, size_t first, int *owner, size_t *overlap)
{
	const struct ol_sets *s = &pl->sets;

	for (size_t i = first; i < pl->nplace; i++) {
		const struct ol_pplace *q = &pl->place[i];
		uint64_t end = q->addr + pl->m->unit[q->unit].size;

		for (uint64_t l = q->addr / s->line; q->path >= 0 && l <= (end - 1) / s->line; l++) {
			int *o = &owner[l % s->nsets];

			if (*o >= 0 && *o != q->path && *o != INT32_MAX) {
				(*overlap)++;
				*o = INT32_MAX;
			} else if (*o < 0) {
				*o = q->path;
			}
		}
	}
}

/* paths: the clones, path by path in call order; the clones of a path
 * call each other (routes). */
static int paths(struct ol_plan *pl, size_t *overlap, struct ol_err *err)
{
	int *owner = malloc((pl->sets.nsets + 1) * sizeof *owner);
	int rc = owner ? 0 : ol_fail(err, -ENOMEM, "out of memory");

	for (uint64_t i = 0; owner && i < pl->sets.nsets; i++)
		owner[i] = -1;
	for (size_t i = 0; i < pl->npmem && rc == 0; i++) {
		const struct ol_pmember *a = &pl->pmem[i];
		size_t first = pl->nplace;

		rc = fit(pl, a->unit, a->path, OL_PATH, err);
		if (rc == 0)
			rc = clone_frags(pl, a->unit, a->path, err);
		if (rc == 0)
			mark_paths(pl, first, owner, overlap);
		for (size_t k = 0; k < i && rc == 0; k++) {
			const struct ol_pmember *b = &pl->pmem[k];

			if (b->path != a->path)
				continue;
			rc = ol_plan_route(pl, b->unit, a->unit, a->path, err);
			if (rc == 0)
				rc = ol_plan_route(pl, a->unit, b->unit, a->path, err);
		}
	}
	free(owner);
	return rc;
}

/* shadows: the originals of the clones, each a whole number of ways after
 * its clone, after everything else. */
static int shadows(struct ol_plan *pl, size_t nplace, struct ol_err *err)
{
	uint64_t shift = 0;
	int rc = 0;

	for (size_t i = 0; i < nplace && rc == 0; i++) {
		const struct ol_pplace q = pl->place[i];

		if (q.path < 0 || pl->placed[q.unit])
			continue;
		if (q.addr + shift < pl->cursor)
			shift += (pl->cursor - q.addr - shift + pl->sets.way - 1) / pl->sets.way *
				 pl->sets.way;
		rc = ol_plan_put(pl, q.unit, -1, q.addr + shift, err);
	}
	return rc;
}

int ol_plan_bip(struct ol_plan *pl, struct ol_err *err)
{
	size_t *hot, n, overlap = 0, nclones;
	int rc = paths(pl, &overlap, err);

	nclones = pl->nplace;
	if (rc == 0)
		rc = ol_plan_ph_order(pl, &hot, &n, err);
	if (rc)
		return rc;
	/* the library, then the rest; path code is cloned (its originals follow) */
	for (int role = OL_LIB; role >= OL_OTHER && rc == 0; role--)
		for (size_t i = 0; i < n && rc == 0; i++)
			if ((int)pl->pu[hot[i]].role == role)
				rc = fit(pl, hot[i], -1, role, err);
	free(hot);
	if (rc == 0)
		rc = shadows(pl, nclones, err);
	if (rc == 0 && overlap)
		snprintf(pl->note, sizeof pl->note,
			 "the paths share %zu sets (their least-run lines, where the clones did not fit apart)",
			 overlap);
	return rc;
}
