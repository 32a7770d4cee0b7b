/* ol_plan_cds.c - cache-directed sort, after LLVM's CDSort (the function
 * order BOLT's -reorder-functions=cdsort makes): every hot unit starts as
 * a chain of its own; the two chains whose merge gains most are joined,
 * one after the other in the better of the two orders, until no merge
 * gains. A merge XY gains
 *   - for each call from one chain into the other: count / (1 + d)^0.25,
 *     d the bytes from the call (where it returns) to the callee's entry
 *     in XY; the calls inside X and inside Y keep their distances;
 *   - a quarter of the misses it saves by frequency: a chain whose entries
 *     per byte are D is evicted with probability (1 - B D / T)^E (T:
 *     every hot unit's entries; a cache of E pages of B bytes: LLVM's
 *     16 of 2048, or, packed, the geometry's ways), so a merge that
 *     dilutes a dense chain with a sparse one loses.
 * Calls: the profile's edges, each spread over the direct calls the
 * relocations show between the two units by the heat around them
 * (ol_plan_calls.c), or put at the middle of the caller (an indirect
 * call: the interpreters' dispatch). The chains are then laid out densest
 * first (instructions per byte), as hfsort lays out its clusters, packed
 * or first fit (place). jq (alpha21064, OUT build,
 * bench/results/external.md): hfsort's order puts jq_next on the sets of
 * its helpers; merging every hot call pair by distance keeps caller and
 * callees within a few pages.
 * On a set-associative cache, where the chains are packed, a merge gains
 * per byte of the smaller chain and a chain holds at most 128 units, as
 * in LLVM's CDSort: by the whole gain the big callers (sqlite3VdbeExec,
 * 20 KB) merged first with every callee and the chains interleaved warm
 * units with hot ones (sqlite3 modern I1 misses 929953, 617482 with no
 * function order at all; per byte 526785, with the limit 502931). First
 * fit keeps the whole gain: per byte, sqlite3 alpha21064 28729297 ->
 * 31270437. Packed, the frequency model's cache is the geometry's: one
 * page per way, of a way's bytes (modern: 8 of 4096; sqlite3 502931 ->
 * 406781, BOLT 441486; jq 167115 -> 159769, BOLT 157355). Packed, two
 * more of LLVM's rules hold: a call's distance score counts against the
 * two ends being as far apart as all the hot code (count ((1 + d)^-0.25 -
 * (1 + T)^-0.25), T the hot units' bytes), so a merge that leaves a call
 * as far as it was gains nothing and warm callers no longer join dense
 * chains for a little gain; and the chains go densest first by entries
 * per byte (LLVM's concatChains), not by instructions per byte. sqlite3
 * (OUT2 build, 64-way 32 KiB, where set conflicts are few): 153826 ->
 * 127628 I1 misses, BOLT 129534 (bench/results/external.md, 4 Dec). */
#define _GNU_SOURCE /* qsort_r */
#include "ol_plan.h"

#include <math.h>
#include <stdlib.h>

#include "ol_util.h"

#define DIST_POWER 0.25
#define FREQ_SCALE 0.25
#define CACHE_BYTES 2048.0	/* LLVM's page, and pages, for first fit */
#define CACHE_ENTRIES 16.0
#define MAX_CHAIN 128	/* units, on a set-associative cache */

/* A call between two hot units: src's code at byte site calls dst's entry. */
struct arc {
	size_t src, dst;	/* nodes */
	uint64_t site;
	double count;
};

/* The gain of merging chains k[0] < k[1]: dist[d] the calls' with k[d]
 * first, f the frequency gain either way. Only merges change chains,
 * so the table is recomputed only for the merged chain's pairs (LLVM's
 * CDSort keeps its chain edges' gains the same way). */
struct pairgain {
	size_t k[2];
	double dist[2], f;
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
	size_t *units;		/* per chain: its nodes */
	uint64_t *at;		/* per node: where it was placed, or UINT64_MAX */
	double total;		/* every node's entries */
	double far;		/* packed: a call's distance score with its ends apart */
	bool packed;		/* a set-associative cache: chains packed */
	double page, pages;	/* the frequency model's cache */
	struct arc *arc;
	size_t narc, caparc;
	size_t **adj, *nadj, *capadj;	/* per chain: the arcs to other chains */
	struct pairgain *pg;	/* the pairs of chains an arc joins */
	size_t npg, cappg;
};

static double miss(const struct cds *c, double calls, uint64_t size)
{
	double p = calls / (double)(size ? size : 1) * c->page;

	if (c->total <= 0 || p >= c->total)
		return 0;
	return calls * pow(1.0 - p / c->total, c->pages);
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

	return a->count * (pow(1.0 + (double)(s > t ? s - t : t - s), -DIST_POWER) - c->far);
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
	c->units[x] += c->units[y];
}

/* other: the chain at arc i's end that is not chain x */
static size_t other(const struct cds *c, size_t i, size_t x)
{
	size_t s = c->chain[c->arc[i].src];

	return s == x ? c->chain[c->arc[i].dst] : s;
}

struct adj_key {
	const struct cds *c;
	size_t x;
};

/* chain x's arcs by the chain at their other end, then by arc: the pair's
 * sums add its arcs in arc order, as a full sort of every arc would */
static int adj_cmp(const void *a, const void *b, void *arg)
{
	const struct adj_key *k = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	size_t oi = other(k->c, i, k->x), oj = other(k->c, j, k->x);

	if (oi != oj)
		return oi < oj ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* gains: the pairs of chain x with the chains its arcs reach (above x
 * only, when above: each pair once at the start), appended to the table */
static int gains(struct cds *c, size_t x, bool above)
{
	struct adj_key key = { c, x };
	const size_t *a = c->adj[x];
	size_t n = c->nadj[x];

	qsort_r(c->adj[x], n, sizeof *a, adj_cmp, &key);
	for (size_t i = 0, j; i < n; i = j) {
		size_t z = other(c, a[i], x);
		struct pairgain g = { { x < z ? x : z, x < z ? z : x }, { 0, 0 }, 0 };

		for (j = i; j < n && other(c, a[j], x) == z; j++)
			;
		if (above && z < x)
			continue;
		for (size_t k = i; k < j; k++)
			for (int d = 0; d < 2; d++)
				g.dist[d] += dist_score(c, &c->arc[a[k]], g.k[d]);
		g.f = FREQ_SCALE * freq_gain(c, g.k[0], g.k[1]);
		if (ol_grow((void **)&c->pg, &c->cappg, c->npg + 1, sizeof *c->pg))
			return -ENOMEM;
		c->pg[c->npg++] = g;
	}
	return 0;
}

/* adj_merge: chain y's arcs join chain x's (now one chain), but for the
 * arcs between the two, which no longer cross */
static int adj_merge(struct cds *c, size_t x, size_t y)
{
	size_t n = 0;

	if (ol_grow((void **)&c->adj[x], &c->capadj[x], c->nadj[x] + c->nadj[y] + 1,
		    sizeof *c->adj[x]))
		return -ENOMEM;
	for (size_t i = 0; i < c->nadj[y]; i++)
		c->adj[x][c->nadj[x]++] = c->adj[y][i];
	for (size_t i = 0; i < c->nadj[x]; i++)
		if (c->chain[c->arc[c->adj[x][i]].src] != c->chain[c->arc[c->adj[x][i]].dst])
			c->adj[x][n++] = c->adj[x][i];
	c->nadj[x] = n;
	c->nadj[y] = 0;
	return 0;
}

/* better: gain g of pair k in order d (0: k[0] first) beats the best so
 * far; ties go to the lower pair, then to k[0] first (the order a sorted
 * pass over the pairs meets them) */
static bool better(double g, const size_t k[2], int d, double best, const size_t bk[2], int bd)
{
	if (g != best)
		return g > best;
	if (k[0] != bk[0])
		return k[0] < bk[0];
	if (k[1] != bk[1])
		return k[1] < bk[1];
	return d < bd;
}

/* worth: what merging pair g with k[d] first is worth (<= 0: not done);
 * packed, per byte of the smaller chain, and nothing past MAX_CHAIN units */
static double worth(const struct cds *c, const struct pairgain *g, int d)
{
	uint64_t a = c->size[g->k[0]], b = c->size[g->k[1]];
	double gain = g->dist[d] + g->f;

	if (!c->packed || gain <= 0)
		return gain;
	if (c->units[g->k[0]] + c->units[g->k[1]] > MAX_CHAIN)
		return 0;
	return gain / (double)((a < b ? a : b) + 1);
}

/* merge_best: the merge that gains most, done (*done false when none
 * gains); the pairs of the two chains leave the table, the merged chain's
 * come in. */
static int merge_best(struct cds *c, bool *done)
{
	size_t bk[2] = { 0, 0 }, n = 0, x, y;
	double best = 0;
	int bd = -1;

	for (size_t i = 0; i < c->npg; i++)
		for (int d = 0; d < 2; d++) {
			const struct pairgain *g = &c->pg[i];
			double gain = worth(c, g, d);

			if (gain > 0 && (bd < 0 || better(gain, g->k, d, best, bk, bd))) {
				best = gain;
				bk[0] = g->k[0], bk[1] = g->k[1], bd = d;
			}
		}
	*done = bd < 0;
	if (*done)
		return 0;
	x = bk[bd];
	y = bk[1 - bd];
	join(c, x, y);
	for (size_t i = 0; i < c->npg; i++)
		if (c->pg[i].k[0] != x && c->pg[i].k[0] != y && c->pg[i].k[1] != x && c->pg[i].k[1] != y)
			c->pg[n++] = c->pg[i];
	c->npg = n;
	if (adj_merge(c, x, y))
		return -ENOMEM;
	return gains(c, x, false);
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

/* densest chain first, then by head: packed by entries per byte (LLVM's
 * order), first fit by instructions per byte (its plans as they were) */
static int dense_cmp(const void *x, const void *y, void *arg)
{
	const struct cds *c = arg;
	const double *w = c->packed ? c->calls : c->insns;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	double da = w[a] / (double)(c->size[a] ? c->size[a] : 1);
	double db = w[b] / (double)(c->size[b] ? c->size[b] : 1);

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
	c->adj = calloc(nu + 1, sizeof *c->adj);
	c->nadj = calloc(nu + 1, sizeof *c->nadj);
	c->capadj = calloc(nu + 1, sizeof *c->capadj);
	c->units = malloc((nu + 1) * sizeof *c->units);
	c->at = malloc((nu + 1) * sizeof *c->at);
	return c->unit && c->node && c->chain && c->next && c->off && c->size && c->tail &&
			       c->calls && c->insns && c->adj && c->nadj && c->capadj && c->units && c->at
		       ? 0 : -ENOMEM;
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
	for (size_t v = 0; c->adj && v < c->n; v++)
		free(c->adj[v]);
	free(c->adj);
	free(c->nadj);
	free(c->capadj);
	free(c->units);
	free(c->at);
	free(c->pg);
}

/* nodes: the hot placeable units, each a chain; packed, the far score
 * of their bytes */
static void nodes(struct cds *c)
{
	const struct ol_plan *pl = c->pl;
	double bytes = 0;

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
		c->units[v] = 1;
		c->at[v] = UINT64_MAX;
		c->total += c->calls[v];
		bytes += (double)c->size[v];
		c->n++;
	}
	if (c->packed)
		c->far = pow(1.0 + bytes, -DIST_POWER);
}

/* pairs: each arc on its two chains' lists, then every pair's gain */
static int pairs(struct cds *c)
{
	for (size_t i = 0; i < c->narc; i++)
		for (int e = 0; e < 2; e++) {
			size_t v = e ? c->arc[i].dst : c->arc[i].src;

			if (ol_grow((void **)&c->adj[v], &c->capadj[v], c->nadj[v] + 1, sizeof *c->adj[v]))
				return -ENOMEM;
			c->adj[v][c->nadj[v]++] = i;
		}
	for (size_t v = 0; v < c->n; v++)
		if (gains(c, v, true))
			return -ENOMEM;
	return 0;
}

/* near: the lines of u's callers and callees placed already are near u
 * (ol_sets_near): they run in turn with u, so sharing a set with them
 * costs more than with code as hot that runs at other times. Without
 * it jq's jq_next (alpha21064, OUT2 build), placed after its denser
 * callees, went first fit onto the sets of jv_array_get, jv_null,
 * jv_array_length and jv_array_slice: jv_array_get missed 0.66 M times
 * at every one of 16 placements (BOLT's layout: 0.07 M; with near 0.35 M),
 * and xz's lzma_mf_bt4_skip and its callee bt_skip_func shared sets: 0.35 M
 * and 0.38 M misses at every placement of the held-out workload (with
 * near 0.003 M and 0.03 M; bench/results/external.md, 5 Dec 2026). */
static void near(const struct cds *c, struct ol_plan *pl, size_t u)
{
	ol_sets_near(&pl->sets, NULL);
	for (size_t e = 0; e < pl->nedge; e++) {
		const struct ol_pedge *ed = &pl->edge[e];
		size_t w = ed->from == u ? ed->to : ed->to == u ? ed->from : u;
		struct ol_span sp;

		if (w == u || c->node[w] < 0 || c->at[c->node[w]] == UINT64_MAX)
			continue;
		sp = ol_plan_span(pl, w, c->at[c->node[w]]);
		ol_sets_near(&pl->sets, &sp);
	}
}

/* place: node v's unit after what is placed. On a direct-mapped cache every hot
 * line on a taken set evicts and is evicted, so it goes first fit where
 * its hot lines find free sets (around libc's, the PLT, the units placed:
 * xz alpha21064 I1 misses 6.90 M packed -> 1.19 M, jq 12.99 M -> 12.13 M),
 * however much hot code is placed already (fit_all; jq 12.13 M ->
 * 12.02 M, ol_plan_place.c), away from its callers and callees (near);
 * with ways to spare the gaps fit leaves cost more lines than conflicts
 * (jq modern: 168649 packed, 246964 placed by fit for alpha21064), so
 * units are packed. */
static int place(struct cds *c, struct ol_plan *pl, size_t v, struct ol_err *err)
{
	size_t u = c->unit[v];
	int rc;

	if (pl->geom.assoc > 1)
		return ol_plan_next(pl, u, -1, err);
	near(c, pl, u);
	rc = ol_plan_fit(pl, u, -1, (int)pl->pu[u].role, err);
	if (rc == 0)	/* the unit is the last place (fillers go before it) */
		c->at[v] = pl->place[pl->nplace - 1].addr;
	return rc;
}

int ol_plan_cds(struct ol_plan *pl, struct ol_err *err)
{
	const struct ol_geom *g = &pl->geom;
	struct cds c = { .pl = pl, .packed = g->assoc > 1, .page = CACHE_BYTES,
			 .pages = CACHE_ENTRIES };
	struct ol_pcall *call = NULL;
	size_t ncall = 0, nch = 0, *order = NULL;
	bool done = false;
	int rc = cds_alloc(&c, pl->m->nunit) ? ol_fail(err, -ENOMEM, "out of memory") : 0;

	if (c.packed) {
		c.page = (double)(g->size / g->assoc);
		c.pages = (double)g->assoc;
	}

	if (rc == 0) {
		nodes(&c);
		rc = ol_plan_calls(pl, &call, &ncall, err);
	}
	if (rc == 0 && (arcs(&c, call, ncall) || pairs(&c) ||
			!(order = malloc((c.n + 1) * sizeof *order))))
		rc = ol_fail(err, -ENOMEM, "out of memory");
	while (rc == 0 && !done)
		if (merge_best(&c, &done))
			rc = ol_fail(err, -ENOMEM, "out of memory");
	for (size_t v = 0; rc == 0 && v < c.n; v++)
		if (c.chain[v] == v)
			order[nch++] = v;
	if (rc == 0)
		qsort_r(order, nch, sizeof *order, dense_cmp, &c);
	pl->fit_all = true;
	for (size_t i = 0; i < nch && rc == 0; i++)
		for (size_t v = order[i]; v != SIZE_MAX && rc == 0; v = c.next[v])
			rc = place(&c, pl, v, err);
	ol_sets_near(&pl->sets, NULL);	/* the last unit's neighbours: no one's now */
	free(call);
	free(order);
	cds_free(&c);
	return rc;
}
