/* ol_plan_cds.c - cache-directed sort, after LLVM's CDSort (the function
 * order BOLT's -reorder-functions=cdsort makes): every hot unit starts as
 * a chain of its own; the two chains whose merge gains most are joined,
 * one after the other in the better of the two orders, until no merge
 * gains. A merge XY gains
 *   - for each call from one chain into the other: count / (1 + d)^0.25,
 *     d the bytes from the call (where it returns) to the callee's entry
 *     in XY; the calls inside X and inside Y keep their distances;
 *   - a quarter of the misses it saves by frequency: a chain whose entries
 *     per byte are D is evicted with probability (1 - 2048 D / T)^16 (T:
 *     every hot unit's entries), so a merge that dilutes a dense chain
 *     with a sparse one loses.
 * Calls: the profile's edges, each spread over the direct calls the
 * relocations show between the two units by the heat around them
 * (ol_plan_calls.c), or put at the middle of the caller (an indirect
 * call: the interpreters' dispatch). The chains are then laid out densest
 * first (instructions per byte), as hfsort lays out its clusters, packed
 * or first fit (place). jq (alpha21064, OUT build,
 * bench/results/external.md): hfsort's order puts jq_next on the sets of
 * its helpers; merging every hot call pair by distance keeps caller and
 * callees within a few pages. */
#define _GNU_SOURCE /* qsort_r */
#include "ol_plan.h"

#include <math.h>
#include <stdlib.h>

#include "ol_util.h"

#define DIST_POWER 0.25
#define FREQ_SCALE 0.25
#define CACHE_BYTES 2048.0
#define CACHE_ENTRIES 16.0

/* A call between two hot units: src's code at byte site calls dst's entry. */
struct arc {
	size_t src, dst;	/* nodes */
	uint64_t site;
	double count;
};

struct cds {
	const struct ol_plan *pl;
	size_t n;		/* nodes: the hot placeable units */
	size_t *unit;		/* per node */
	long *node;		/* per unit: its node, or -1 */
	size_t *chain, *next;	/* per node: its chain (the head's node), the node after it */
	uint64_t *off;		/* per node: its offset in its chain */
	uint64_t *size, *tail;	/* per chain (indexed by head node): bytes, last node */
	double *calls, *insns;	/* per chain: entries, instructions */
	double total;		/* every node's entries */
	struct arc *arc;
	size_t narc, caparc;
	size_t *cross;		/* scratch: arcs between chains */
};

static double miss(const struct cds *c, double calls, uint64_t size)
{
	double p = calls / (double)(size ? size : 1) * CACHE_BYTES;

	if (c->total <= 0 || p >= c->total)
		return 0;
	return calls * pow(1.0 - p / c->total, CACHE_ENTRIES);
}

static double freq_gain(const struct cds *c, size_t x, size_t y)
{
	return miss(c, c->calls[x], c->size[x]) + miss(c, c->calls[y], c->size[y]) -
	       miss(c, c->calls[x] + c->calls[y], c->size[x] + c->size[y]);
}

/* pos: where node v's byte at goes when chain first comes before the other */
static uint64_t pos(const struct cds *c, size_t v, uint64_t at, size_t first)
{
	return c->off[v] + at + (c->chain[v] == first ? 0 : c->size[first]);
}

static double dist_score(const struct cds *c, const struct arc *a, size_t first)
{
	uint64_t s = pos(c, a->src, a->site, first), t = pos(c, a->dst, 0, first);

	return a->count * pow(1.0 + (double)(s > t ? s - t : t - s), -DIST_POWER);
}

/* pair: the chains of arc i's two ends, lower first */
static void pair(const struct cds *c, size_t i, size_t k[2])
{
	size_t s = c->chain[c->arc[i].src], t = c->chain[c->arc[i].dst];

	k[0] = s < t ? s : t;
	k[1] = s < t ? t : s;
}

/* arcs between the same two chains together, then by arc */
static int cross_cmp(const void *x, const void *y, void *arg)
{
	const struct cds *c = arg;
	size_t a = *(const size_t *)x, b = *(const size_t *)y, ka[2], kb[2];

	pair(c, a, ka);
	pair(c, b, kb);
	if (ka[0] != kb[0])
		return ka[0] < kb[0] ? -1 : 1;
	if (ka[1] != kb[1])
		return ka[1] < kb[1] ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* join: chain y after chain x */
static void join(struct cds *c, size_t x, size_t y)
{
	for (size_t v = y; v != SIZE_MAX; v = c->next[v]) {
		c->off[v] += c->size[x];
		c->chain[v] = x;
	}
	c->next[c->tail[x]] = y;
	c->tail[x] = c->tail[y];
	c->size[x] += c->size[y];
	c->calls[x] += c->calls[y];
	c->insns[x] += c->insns[y];
}

/* merge_best: the merge that gains most, done; false when none gains. */
static bool merge_best(struct cds *c)
{
	size_t nx = 0, bx = 0, by = 0;
	double best = 0;

	for (size_t i = 0; i < c->narc; i++)
		if (c->chain[c->arc[i].src] != c->chain[c->arc[i].dst])
			c->cross[nx++] = i;
	qsort_r(c->cross, nx, sizeof *c->cross, cross_cmp, c);
	for (size_t i = 0; i < nx;) {
		size_t k[2], kj[2], j = i;
		double xy = 0, yx = 0, f;

		pair(c, c->cross[i], k);
		f = FREQ_SCALE * freq_gain(c, k[0], k[1]);
		for (; j < nx; j++) {
			const struct arc *a = &c->arc[c->cross[j]];

			pair(c, c->cross[j], kj);
			if (kj[0] != k[0] || kj[1] != k[1])
				break;
			xy += dist_score(c, a, k[0]);
			yx += dist_score(c, a, k[1]);
		}
		i = j;
		if (xy + f > best) {
			best = xy + f;
			bx = k[0];
			by = k[1];
		}
		if (yx + f > best) {
			best = yx + f;
			bx = k[1];
			by = k[0];
		}
	}
	if (best <= 0)
		return false;
	join(c, bx, by);
	return true;
}

static int add_arc(struct cds *c, struct arc a)
{
	if (ol_grow((void **)&c->arc, &c->caparc, c->narc + 1, sizeof *c->arc))
		return -ENOMEM;
	c->arc[c->narc++] = a;
	return 0;
}

static int call_cmp(const void *x, const void *y)
{
	const struct ol_pcall *a = x, *b = y;

	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	return a->ret < b->ret ? -1 : a->ret > b->ret;
}

/* arcs: each profile edge between two nodes over its direct call sites
 * (calls sorted by from, then to, as the edges are), else one indirect one */
static int arcs(struct cds *c, struct ol_pcall *call, size_t ncall)
{
	const struct ol_plan *pl = c->pl;
	size_t k = 0;
	int rc = 0;

	qsort(call, ncall, sizeof *call, call_cmp);
	for (size_t e = 0; e < pl->nedge && rc == 0; e++) {
		const struct ol_pedge *ed = &pl->edge[e];
		long s = c->node[ed->from], t = c->node[ed->to];
		uint64_t w = 0;
		size_t first;

		while (k < ncall && (call[k].from < ed->from ||
				     (call[k].from == ed->from && call[k].to < ed->to)))
			k++;
		for (first = k; k < ncall && call[k].from == ed->from && call[k].to == ed->to; k++)
			w += call[k].weight;
		if (s < 0 || t < 0 || s == t || ed->count == 0)
			continue;
		if (w == 0) {
			rc = add_arc(c, (struct arc){ (size_t)s, (size_t)t,
						      pl->m->unit[ed->from].size / 2, (double)ed->count });
			continue;
		}
		for (size_t i = first; i < k && rc == 0; i++)
			rc = add_arc(c, (struct arc){ (size_t)s, (size_t)t, call[i].ret,
						      (double)ed->count * (double)call[i].weight / (double)w });
	}
	return rc;
}

/* densest chain first (instructions per byte), then by head */
static int dense_cmp(const void *x, const void *y, void *arg)
{
	const struct cds *c = arg;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	double da = c->insns[a] / (double)(c->size[a] ? c->size[a] : 1);
	double db = c->insns[b] / (double)(c->size[b] ? c->size[b] : 1);

	if (da != db)
		return da > db ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int cds_alloc(struct cds *c, size_t nu)
{
	c->unit = malloc((nu + 1) * sizeof *c->unit);
	c->node = malloc((nu + 1) * sizeof *c->node);
	c->chain = malloc((nu + 1) * sizeof *c->chain);
	c->next = malloc((nu + 1) * sizeof *c->next);
	c->off = calloc(nu + 1, sizeof *c->off);
	c->size = malloc((nu + 1) * sizeof *c->size);
	c->tail = malloc((nu + 1) * sizeof *c->tail);
	c->calls = malloc((nu + 1) * sizeof *c->calls);
	c->insns = malloc((nu + 1) * sizeof *c->insns);
	return c->unit && c->node && c->chain && c->next && c->off && c->size && c->tail &&
			       c->calls && c->insns ? 0 : -ENOMEM;
}

static void cds_free(struct cds *c)
{
	free(c->unit);
	free(c->node);
	free(c->chain);
	free(c->next);
	free(c->off);
	free(c->size);
	free(c->tail);
	free(c->calls);
	free(c->insns);
	free(c->arc);
	free(c->cross);
}

/* nodes: the hot placeable units, each a chain */
static void nodes(struct cds *c)
{
	const struct ol_plan *pl = c->pl;

	for (size_t u = 0; u < pl->m->nunit; u++) {
		size_t v = c->n;

		c->node[u] = -1;
		if (!pl->pu[u].placeable || pl->pu[u].role == OL_COLD)
			continue;
		c->node[u] = (long)v;
		c->unit[v] = u;
		c->chain[v] = c->tail[v] = v;
		c->next[v] = SIZE_MAX;
		c->size[v] = pl->m->unit[u].size;
		c->calls[v] = (double)pl->pu[u].calls;
		c->insns[v] = (double)pl->pu[u].insns;
		c->total += c->calls[v];
		c->n++;
	}
}

/* place: unit u after what is placed. On a direct-mapped cache every hot
 * line on a taken set evicts and is evicted, so u goes first fit where
 * its hot lines find free sets (around libc's, the PLT, the units placed:
 * xz alpha21064 I1 misses 6.90 M packed -> 1.19 M, jq 12.99 M -> 12.13 M);
 * with ways to spare the gaps fit leaves cost more lines than conflicts
 * (jq modern: 168649 packed, 246964 placed by fit for alpha21064), so
 * units are packed. */
static int place(struct ol_plan *pl, size_t u, struct ol_err *err)
{
	if (pl->geom.assoc == 1)
		return ol_plan_fit(pl, u, -1, (int)pl->pu[u].role, err);
	return ol_plan_next(pl, u, -1, err);
}

int ol_plan_cds(struct ol_plan *pl, struct ol_err *err)
{
	struct cds c = { .pl = pl };
	struct ol_pcall *call = NULL;
	size_t ncall = 0, nch = 0, *order = NULL;
	int rc = cds_alloc(&c, pl->m->nunit) ? ol_fail(err, -ENOMEM, "out of memory") : 0;

	if (rc == 0) {
		nodes(&c);
		rc = ol_plan_calls(pl, &call, &ncall, err);
	}
	if (rc == 0 && (arcs(&c, call, ncall) ||
			!(c.cross = malloc((c.narc + 1) * sizeof *c.cross)) ||
			!(order = malloc((c.n + 1) * sizeof *order))))
		rc = ol_fail(err, -ENOMEM, "out of memory");
	while (rc == 0 && merge_best(&c))
		;
	for (size_t v = 0; rc == 0 && v < c.n; v++)
		if (c.chain[v] == v)
			order[nch++] = v;
	if (rc == 0)
		qsort_r(order, nch, sizeof *order, dense_cmp, &c);
	for (size_t i = 0; i < nch && rc == 0; i++)
		for (size_t v = order[i]; v != SIZE_MAX && rc == 0; v = c.next[v])
			rc = place(pl, c.unit[v], err);
	free(call);
	free(order);
	cds_free(&c);
	return rc;
}
