/* ol_plan_bad.c - the BAD layout of Mosberger et al. on purpose: every hot
 * unit starts at the same cache offset, the one where the hottest code the
 * plan cannot move (libc's malloc, say) lies, so the paths' code, the
 * library functions they call and the rest of the hot code evict each
 * other. The code itself is unchanged; only padding (or never-run code)
 * separates the units. */
#include "ol_plan.h"

#include <stdlib.h>

/* The span BAD may spread over: past it the remaining units stay put. */
#define BAD_SPAN (64u << 20)

/* target: the offset of the hottest set taken by code outside the plan. */
static uint64_t target(const struct ol_sets *s)
{
	uint64_t best = 0, heat = 0;

	for (uint64_t i = 0; i < s->nsets; i++)
		if ((s->who[i] >> OL_TAKEN) & 1 && s->heat[i] > heat) {
			heat = s->heat[i];
			best = i;
		}
	return best * s->line;
}

static int put_all(struct ol_plan *pl, const size_t *u, size_t n, uint64_t off,
		   struct ol_err *err)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0 && pl->cursor - pl->start < BAD_SPAN; i++)
		if (!pl->placed[u[i]])
			rc = ol_plan_put(pl, u[i], -1, ol_plan_at(pl, off, pl->pu[u[i]].align), err);
	return rc;
}

int ol_plan_bad(struct ol_plan *pl, struct ol_err *err)
{
	uint64_t off = target(&pl->sets);
	size_t *hot, n, k = 0;
	int rc = ol_plan_hot_order(pl, &hot, &n, err);

	if (rc)
		return rc;
	/* path code first, then the library, then the rest, each by heat */
	for (int role = OL_PATH; role >= OL_OTHER; role--) {
		size_t *part = malloc((n + 1) * sizeof *part);

		if (part == NULL) {
			rc = ol_fail(err, -ENOMEM, "out of memory");
			break;
		}
		k = 0;
		for (size_t i = 0; i < n; i++)
			if ((int)pl->pu[hot[i]].role == role)
				part[k++] = hot[i];
		rc = put_all(pl, part, k, off, err);
		free(part);
		if (rc)
			break;
	}
	free(hot);
	return rc;
}
