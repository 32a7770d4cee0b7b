/* ol_plan_place.c - appending units to a plan at chosen addresses, as the
 * rewriter will lay them out (see ol_plan.h). */
#include "ol_plan.h"

#include <stdlib.h>

#include "ol_util.h"

static uint64_t up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

uint64_t ol_plan_at(const struct ol_plan *pl, uint64_t off, uint64_t align)
{
	uint64_t a = up(pl->cursor, align);
	uint64_t want = off & (pl->sets.way - 1);

	return a + ((want - a) & (pl->sets.way - 1));
}

static int append(struct ol_plan *pl, size_t unit, int path, uint64_t addr, uint64_t align,
		  struct ol_err *err)
{
	if (ol_grow((void **)&pl->place, &pl->capplace, pl->nplace + 1, sizeof *pl->place))
		return ol_fail(err, -ENOMEM, "out of memory");
	pl->place[pl->nplace++] = (struct ol_pplace){ unit, path, align, 0, addr, false };
	pl->cursor = addr + pl->m->unit[unit].size;
	if (path < 0)
		pl->placed[unit] = true;
	else
		pl->nclone++;
	return 0;
}

/* filler: the largest never-run unit not placed yet that fits, with its
 * alignment, in [cursor, end), or -1. The list is sorted largest first. */
static long filler(struct ol_plan *pl, uint64_t end)
{
	while (pl->nextcold < pl->ncold && pl->placed[pl->cold[pl->nextcold]])
		pl->nextcold++;
	for (size_t i = pl->nextcold; i < pl->ncold; i++) {
		size_t u = pl->cold[i];

		if (!pl->placed[u] &&
		    up(pl->cursor, pl->pu[u].align) + pl->m->unit[u].size <= end)
			return (long)u;
	}
	return -1;
}

/* Gaps this small stay padding: looking for code to fill them costs more
 * than it saves. */
#define MIN_FILL 64

/* --hot-align: a unit that ran at least 1/HOT_SHARE of the training's
 * instructions starts on a HOT_ALIGN boundary when that costs at most
 * min(HOT_MAX_PAD, its size) bytes, as llvm-bolt aligns the functions it
 * emits (its defaults: -align-functions=64 -align-functions-max-bytes=32,
 * the compact aligner). Where code starts in its 64-byte line moves its
 * time on an AMD Zen 4 by up to tens of percent with the same simulated
 * misses (jq's block_count_refs, the same bytes at each of the 8 offsets:
 * +-12%); jq's modern-planned layout took 1.08x BOLT's CPU time packed,
 * 1.03x aligned. Only the units that run most of the instructions, since
 * every pad costs i-cache bytes (bench/results/external.md, 4 Dec 2026). */
#define HOT_ALIGN 64
#define HOT_MAX_PAD 32
#define HOT_SHARE 1000

/* next_align: the alignment unit gets right after what is placed. */
static uint64_t next_align(const struct ol_plan *pl, size_t unit)
{
	uint64_t size = pl->m->unit[unit].size;
	uint64_t most = size < HOT_MAX_PAD ? size : HOT_MAX_PAD;

	if (pl->hot_align && pl->pu[unit].insns * HOT_SHARE >= pl->insns && pl->pu[unit].insns > 0 &&
	    up(pl->cursor, HOT_ALIGN) - pl->cursor <= most)
		return HOT_ALIGN;
	return pl->pu[unit].align;
}

int ol_plan_put(struct ol_plan *pl, size_t unit, int path, uint64_t addr, struct ol_err *err)
{
	uint64_t align = next_align(pl, unit), after = up(pl->cursor, align);
	int rc = 0;

	if (addr > after)	/* a chosen address: the unit's own alignment */
		addr = up(addr, align = pl->pu[unit].align);
	else
		addr = after;
	while (rc == 0 && addr - pl->cursor >= MIN_FILL) {
		long f = filler(pl, addr);

		if (f < 0)
			break;
		rc = append(pl, (size_t)f, -1, up(pl->cursor, pl->pu[f].align), pl->pu[f].align, err);
	}
	if (rc)
		return rc;
	if (pl->nplace == 0)	/* nothing to pad: the first unit goes first */
		addr = up(pl->start, align);
	else	/* the rewriter aligns after the padding */
		pl->place[pl->nplace - 1].pad += addr - up(pl->cursor, align);
	return append(pl, unit, path, addr, align, err);
}

/* Past this much hot code (in cache sizes) looking for free sets is no use
 * to bipartite and color: the rest goes in order. cdsort fits all its
 * units (fit_all): in alpha21064's plan of jq 169 of 289 hot units came
 * after the first 32 KiB and were packed onto whatever sets followed;
 * fitting them too took jq from 12131483 I1 misses to 12024744 (BOLT
 * 12043822), mostly in those units (yyparse 91656 -> 29969,
 * jvp_string_hash.cold 41796 -> 352, callgrind per instruction). */
#define FIT_CACHES 4

int ol_plan_fit(struct ol_plan *pl, size_t unit, int path, int role, struct ol_err *err)
{
	const struct ol_pu *pu = &pl->pu[unit];
	uint64_t at = up(pl->cursor, next_align(pl, unit));
	struct ol_span sp;
	int rc;

	if (pl->fit_all || pl->hot_bytes < FIT_CACHES * pl->geom.size)
		at = ol_sets_best(&pl->sets, ol_plan_span(pl, unit, at), pu->align);
	rc = ol_plan_put(pl, unit, path, at, err);
	if (rc == 0) {
		sp = ol_plan_span(pl, unit, pl->place[pl->nplace - 1].addr);
		ol_sets_add(&pl->sets, &sp, role);
		pl->hot_bytes += sp.size;
	}
	return rc;
}

int ol_plan_next(struct ol_plan *pl, size_t unit, int path, struct ol_err *err)
{
	return ol_plan_put(pl, unit, path, up(pl->cursor, pl->pu[unit].align), err);
}

int ol_plan_route(struct ol_plan *pl, size_t caller, size_t callee, int path,
		  struct ol_err *err)
{
	if (ol_grow((void **)&pl->route, &pl->caproute, pl->nroute + 1, sizeof *pl->route))
		return ol_fail(err, -ENOMEM, "out of memory");
	pl->route[pl->nroute++] = (struct ol_proute){ caller, callee, path };
	return 0;
}

struct hot_key {
	uint64_t heat, addr;
	size_t unit;
};

static int hot_cmp(const void *a, const void *b)
{
	const struct hot_key *x = a, *y = b;

	if (x->heat != y->heat)
		return x->heat > y->heat ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int ol_plan_hot_order(struct ol_plan *pl, size_t **out, size_t *n, struct ol_err *err)
{
	const struct ol_model *m = pl->m;
	struct hot_key *k = malloc((m->nunit + 1) * sizeof *k);
	size_t *o = malloc((m->nunit + 1) * sizeof *o);
	size_t cnt = 0;

	if (k == NULL || o == NULL) {
		free(k);
		free(o);
		return ol_fail(err, -ENOMEM, "out of memory");
	}
	for (size_t u = 0; u < m->nunit; u++)
		if (pl->pu[u].placeable && pl->pu[u].role != OL_COLD && !pl->placed[u])
			k[cnt++] = (struct hot_key){ pl->pu[u].heat, m->unit[u].addr, u };
	qsort(k, cnt, sizeof *k, hot_cmp);
	for (size_t i = 0; i < cnt; i++)
		o[i] = k[i].unit;
	free(k);
	*out = o;
	*n = cnt;
	return 0;
}
