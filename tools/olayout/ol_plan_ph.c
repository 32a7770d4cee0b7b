/* ol_plan_ph.c - Pettis & Hansen's procedure ordering (PLDI 1990): the
 * call graph's edges, heaviest first, merge the chains of their two ends;
 * of the four ways to join two chains the one that puts the two ends
 * closest wins ("closest is best"). Chains are then laid out by density.
 *
 * Positions: a node's centre, doubled (2 * start + size), is kept relative
 * to its chain as base + sign * stored, so reversing or shifting the larger
 * chain of a merge costs O(1) and only the smaller chain's nodes are
 * rewritten (O(n log n) in all). */
#include "ol_plan.h"

#include <stdlib.h>

struct chain {
	int64_t len2, base, sign;	/* doubled length; frame of its nodes */
	uint64_t insns;
	size_t head, count;		/* members, linked through next */
};

struct wedge {
	size_t a, b;
	uint64_t w;
};

static const struct chain *sort_ch;
static const int64_t *sort_pos;
static const size_t *sort_of;

static int w_cmp(const void *x, const void *y)
{
	const struct wedge *a = x, *b = y;

	if (a->w != b->w)
		return a->w > b->w ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

static int64_t logical(const struct chain *c, int64_t stored)
{
	return c->base + c->sign * stored;
}

static int dense_cmp(const void *x, const void *y)
{
	const struct chain *a = &sort_ch[*(const size_t *)x], *b = &sort_ch[*(const size_t *)y];
	unsigned __int128 l = (unsigned __int128)a->insns * (uint64_t)b->len2;
	unsigned __int128 r = (unsigned __int128)b->insns * (uint64_t)a->len2;

	if (l != r)
		return l > r ? -1 : 1;
	return a->head < b->head ? -1 : a->head > b->head;
}

static int pos_cmp(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int64_t pa = logical(&sort_ch[sort_of[a]], sort_pos[a]);
	int64_t pb = logical(&sort_ch[sort_of[b]], sort_pos[b]);

	return pa < pb ? -1 : pa > pb;
}

/* join: chain of u and chain of v become one, arranged as the option k
 * says (bit 0: the first chain reversed, bit 1: the second). big keeps
 * its frame; the nodes of the other are moved into it. */
static void join(struct chain *ch, size_t *of, int64_t *pos, size_t *next, size_t cu,
		 size_t cv, int k)
{
	struct chain *a = &ch[cu], *b = &ch[cv];
	bool a_big = a->count >= b->count;
	struct chain *big = a_big ? a : b, *small = a_big ? b : a;
	bool big_rev = a_big ? (k & 1) : (k & 2), small_rev = a_big ? (k & 2) : (k & 1);
	bool big_second = !a_big;	/* a's chain goes first */
	int64_t big_len2 = big->len2, small_len2 = small->len2;
	size_t last = SIZE_MAX;

	if (big_rev) {
		big->base = big_len2 - big->base;
		big->sign = -big->sign;
	}
	if (big_second)
		big->base += small_len2;
	for (size_t v = small->head; v != SIZE_MAX; v = next[v]) {
		int64_t p = logical(small, pos[v]);

		if (small_rev)
			p = small_len2 - p;
		if (!big_second)
			p += big_len2;
		pos[v] = (p - big->base) * big->sign;
		of[v] = (size_t)(big - ch);
		last = v;
	}
	next[last] = big->head;
	big->head = small->head;
	big->len2 += small_len2;
	big->insns += small->insns;
	big->count += small->count;
	small->count = 0;
	small->head = SIZE_MAX;
}

/* closest: of the four ways to put u's chain before v's, the one that
 * brings u and v closest (0: as they are, 1: u's reversed, 2: v's
 * reversed, 3: both). */
static int closest(const struct chain *ch, const size_t *of, const int64_t *pos, size_t u,
		   size_t v)
{
	const struct chain *a = &ch[of[u]], *b = &ch[of[v]];
	int64_t pu = logical(a, pos[u]), pv = logical(b, pos[v]);
	int64_t d[4] = { a->len2 - pu + pv, pu + pv, a->len2 - pu + b->len2 - pv,
			 pu + b->len2 - pv };
	int k = 0;

	for (int i = 1; i < 4; i++)
		if (d[i] < d[k])
			k = i;
	return k;
}

int ol_plan_ph_order(const struct ol_plan *pl, size_t **out, size_t *nout, struct ol_err *err)
{
	size_t nu = pl->m->nunit, nw = 0, nc = 0;
	struct chain *ch = malloc((nu + 1) * sizeof *ch);
	size_t *of = malloc((nu + 1) * sizeof *of), *next = malloc((nu + 1) * sizeof *next);
	int64_t *pos = malloc((nu + 1) * sizeof *pos);
	struct wedge *we = malloc((pl->nedge + 1) * sizeof *we);
	size_t *order = malloc((nu + 1) * sizeof *order), *mem = malloc((nu + 1) * sizeof *mem);
	size_t nm = 0;
	int rc = 0;

	if (!ch || !of || !next || !pos || !we || !order || !mem) {
		rc = ol_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (size_t u = 0; u < nu; u++) {
		of[u] = SIZE_MAX;
		if (!pl->pu[u].placeable || pl->pu[u].role == OL_COLD)
			continue;
		of[u] = nc;
		next[u] = SIZE_MAX;
		pos[u] = (int64_t)pl->m->unit[u].size;
		ch[nc++] = (struct chain){ 2 * (int64_t)pl->m->unit[u].size, 0, 1, pl->pu[u].insns,
					   u, 1 };
	}
	/* undirected weights: a -> b and b -> a add up (the edges are sorted) */
	for (size_t e = 0; e < pl->nedge; e++) {
		size_t a = pl->edge[e].from, b = pl->edge[e].to;

		if (of[a] == SIZE_MAX || of[b] == SIZE_MAX)
			continue;
		we[nw++] = (struct wedge){ a < b ? a : b, a < b ? b : a, pl->edge[e].count };
	}
	qsort(we, nw, sizeof *we, w_cmp);
	for (size_t e = 0; e < nw; e++) {
		size_t a = we[e].a, b = we[e].b;

		if (of[a] != of[b])
			join(ch, of, pos, next, of[a], of[b], closest(ch, of, pos, a, b));
	}
	nw = 0;
	for (size_t c = 0; c < nc; c++)
		if (ch[c].count)
			order[nw++] = c;
	sort_ch = ch;
	qsort(order, nw, sizeof *order, dense_cmp);
	sort_pos = pos;
	sort_of = of;
	for (size_t i = 0; i < nw; i++) {
		size_t k = nm;

		for (size_t v = ch[order[i]].head; v != SIZE_MAX; v = next[v])
			mem[nm++] = v;
		qsort(mem + k, nm - k, sizeof *mem, pos_cmp);
	}
	*out = mem;
	*nout = nm;
	mem = NULL;
out:
	free(ch);
	free(of);
	free(next);
	free(pos);
	free(we);
	free(order);
	free(mem);
	return rc;
}

int ol_plan_ph(struct ol_plan *pl, struct ol_err *err)
{
	size_t *order = NULL, n = 0;
	int rc = ol_plan_ph_order(pl, &order, &n, err);

	for (size_t i = 0; i < n && rc == 0; i++)
		rc = ol_plan_next(pl, order[i], -1, err);
	free(order);
	return rc;
}
