/* ol_plan_hfsort.c - hfsort's call-chain clustering (C3, Ottoni & Maher,
 * CGO 2017): from the hottest function down, a function joins the cluster
 * of its most frequent caller while the merged cluster fits a page; the
 * clusters are then laid out densest first. */
#include "ol_plan.h"

#include <stdlib.h>

#define PAGE 4096

struct cluster {
	uint64_t size, insns;
	size_t head, tail;
};

static const struct ol_plan *sort_plan;
static const struct cluster *sort_cl;

/* hottest first (training instructions), then by address */
static int hot_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	uint64_t hx = sort_plan->pu[x].insns, hy = sort_plan->pu[y].insns;

	if (hx != hy)
		return hx > hy ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* densest cluster first: insns / size compared without division */
static int dense_cmp(const void *a, const void *b)
{
	const struct cluster *x = &sort_cl[*(const size_t *)a], *y = &sort_cl[*(const size_t *)b];
	unsigned __int128 l = (unsigned __int128)x->insns * (y->size ? y->size : 1);
	unsigned __int128 r = (unsigned __int128)y->insns * (x->size ? x->size : 1);

	if (l != r)
		return l > r ? -1 : 1;
	return x->head < y->head ? -1 : x->head > y->head;
}

int ol_plan_hfsort(struct ol_plan *pl, struct ol_err *err)
{
	size_t nu = pl->m->nunit, n = 0, nc = 0;
	size_t *node = malloc((nu + 1) * sizeof *node), *of = malloc((nu + 1) * sizeof *of);
	size_t *next = malloc((nu + 1) * sizeof *next), *caller = malloc((nu + 1) * sizeof *caller);
	uint64_t *best = calloc(nu + 1, sizeof *best);
	struct cluster *cl = malloc((nu + 1) * sizeof *cl);
	size_t *order = malloc((nu + 1) * sizeof *order);
	int rc = 0;

	if (!node || !of || !next || !caller || !best || !cl || !order) {
		rc = ol_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (size_t u = 0; u < nu; u++) {
		caller[u] = SIZE_MAX;
		if (!pl->pu[u].placeable || pl->pu[u].role == OL_COLD)
			continue;
		node[n++] = u;
		of[u] = nc;
		next[u] = SIZE_MAX;
		cl[nc++] = (struct cluster){ pl->m->unit[u].size, pl->pu[u].insns, u, u };
	}
	/* the most frequent caller of each function */
	for (size_t e = 0; e < pl->nedge; e++) {
		const struct ol_pedge *ed = &pl->edge[e];

		if (ed->count > best[ed->to] && pl->pu[ed->from].placeable &&
		    pl->pu[ed->from].role != OL_COLD) {
			best[ed->to] = ed->count;
			caller[ed->to] = ed->from;
		}
	}
	sort_plan = pl;
	qsort(node, n, sizeof *node, hot_cmp);
	for (size_t i = 0; i < n; i++) {
		size_t f = node[i], c = caller[f];
		struct cluster *cf, *cc;

		if (c == SIZE_MAX || pl->pu[f].role == OL_COLD || of[c] == of[f])
			continue;
		cf = &cl[of[f]];
		cc = &cl[of[c]];
		if (cf->size + cc->size > PAGE)
			continue;
		next[cc->tail] = cf->head;
		cc->tail = cf->tail;
		cc->size += cf->size;
		cc->insns += cf->insns;
		for (size_t v = cf->head; v != SIZE_MAX; v = next[v])
			of[v] = (size_t)(cc - cl);
		cf->size = 0;
		cf->head = SIZE_MAX;
	}
	n = 0;
	for (size_t k = 0; k < nc; k++)
		if (cl[k].head != SIZE_MAX)
			order[n++] = k;
	sort_cl = cl;
	qsort(order, n, sizeof *order, dense_cmp);
	for (size_t i = 0; i < n && rc == 0; i++)
		for (size_t v = cl[order[i]].head; v != SIZE_MAX && rc == 0; v = next[v])
			rc = ol_plan_next(pl, v, -1, err);
out:
	free(node);
	free(of);
	free(next);
	free(caller);
	free(best);
	free(cl);
	free(order);
	return rc;
}
