/* ol_plan_color.c - cache-line colouring of procedures (Hashemi, Kaeli &
 * Calder, PLDI 1997) on the whole hot working set: the hot units (functions
 * and hot fragments), hottest lines first (instructions run per line), each
 * packed right after the one before when its hot lines land on sets no hot
 * code holds yet, neither placed code nor the code outside the plan (the
 * profile's external lines at their run-time addresses, the PLT, what
 * cannot move), else at the nearest address where they do, the gap filled
 * with never-run code; where no address is free, where its lines cost
 * least (on top of the least-run lines). Only hot lines take a set (the
 * profile's line counts through DWARF, ol_plan_lines.c): a unit's cold
 * lines may lie on taken sets. Nothing is cloned: the path code is the
 * original code, which a program runs whether it binds clones or not.
 * Hottest first beat Pettis & Hansen's chains here on tcpping (218 against
 * 238 misses per round trip, bench/results/olayout-plan.md): with more hot
 * lines than sets, the lines that must share a set should be the least run. */
#include "ol_plan.h"

#include <stdlib.h>

int ol_plan_color(struct ol_plan *pl, struct ol_err *err)
{
	size_t *order = NULL, n = 0;
	int rc = ol_plan_hot_order(pl, &order, &n, err);

	for (size_t i = 0; i < n && rc == 0; i++)
		rc = ol_plan_fit(pl, order[i], -1, (int)pl->pu[order[i]].role, err);
	free(order);
	return rc;
}
