/* ol_plan_color.c - cache-line colouring of procedures (Hashemi, Kaeli &
 * Calder, PLDI 1997) on the whole hot working set: the hot units (functions
 * and hot fragments) in order, each packed right after the one before when
 * its hot lines land on sets no hot code holds yet, neither placed code
 * nor the code outside the plan (the profile's external lines at their
 * run-time addresses, the PLT, what cannot move), else at the nearest
 * address where they do, the gap filled with never-run code; where no
 * address is free, where its lines cost least (on top of the least-run
 * lines). Only hot lines take a set (the profile's line counts through
 * DWARF, ol_plan_lines.c): a unit's cold lines may lie on taken sets.
 *
 * The order: where the profile's workload is a unit run many times (a
 * round trip: `training` > 1) the whole hot set cycles through the cache
 * every time, so the hottest lines go first and those that must share a
 * set are the least run (tcpping: 218 misses per round trip, against 238
 * in call-chain order and 249 path first); a single pass (`training` 1)
 * keeps the paths in call order, then library code, then Pettis & Hansen's
 * chains, callers next to callees (the corpus's sorts and layers: as
 * bipartite, where hottest first loses). Nothing is cloned: the path code
 * is the original code, which a program runs whether it binds clones or
 * not. */
#include "ol_plan.h"

#include <stdlib.h>

/* path_order: the paths' members in call order, then Pettis & Hansen's
 * chains, library code first (bipartite's order, without clones). */
static int path_order(struct ol_plan *pl, size_t **out, size_t *n, struct ol_err *err)
{
	size_t *ph = NULL, nph = 0, k = 0;
	int rc = ol_plan_ph_order(pl, &ph, &nph, err);
	size_t *o = rc ? NULL : malloc((pl->npmem + nph + 1) * sizeof *o);
	bool *seen = rc ? NULL : calloc(pl->m->nunit + 1, sizeof *seen);

	if (rc == 0 && (!o || !seen))
		rc = ol_fail(err, -ENOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < pl->npmem; i++)
		if (!seen[pl->pmem[i].unit]) {
			seen[pl->pmem[i].unit] = true;
			o[k++] = pl->pmem[i].unit;
		}
	for (int lib = 1; lib >= 0 && rc == 0; lib--)
		for (size_t i = 0; i < nph; i++)
			if (!seen[ph[i]] && (pl->pu[ph[i]].role == OL_LIB) == lib) {
				seen[ph[i]] = true;
				o[k++] = ph[i];
			}
	free(ph);
	free(seen);
	if (rc)
		free(o);
	*out = rc ? NULL : o;
	*n = k;
	return rc;
}

int ol_plan_color(struct ol_plan *pl, struct ol_err *err)
{
	size_t *u = NULL, n = 0;
	int rc = pl->prof->training > 1 ? ol_plan_hot_order(pl, &u, &n, err)
					: path_order(pl, &u, &n, err);

	for (size_t i = 0; i < n && rc == 0; i++)
		rc = ol_plan_fit(pl, u[i], -1, (int)pl->pu[u[i]].role, err);
	free(u);
	return rc;
}
