/* ol_plan_bad.c - the BAD layout of Mosberger et al. on purpose: the hot
 * code of the paths and the functions they call mapped onto the same cache
 * sets. Each hot unit (path code first, then the library, then the rest,
 * each by heat) goes, within one cache way from the end of what is placed,
 * where it costs most: where its hot lines share most heat with the hot
 * lines already in their sets (placed units, and the code the plan cannot
 * move: libc's, the PLT), plus twice the weight of each hot call
 * (ol_plan_calls.c) between it and a unit whose address is fixed whose
 * return line and entry it puts on one set: such a call misses going in
 * and coming back. The code itself is unchanged; only padding (or
 * never-run code) separates the units. */
#include "ol_plan.h"

#include <stdlib.h>

/* The span BAD may spread over: past it the remaining units stay put. */
#define BAD_SPAN (64u << 20)
/* How many places a unit tries at most in a way (a huge cache's are sampled). */
#define TRIES 4096

struct bad {
	struct ol_plan *pl;
	struct ol_pcall *call;
	size_t ncall;
	size_t *first;		/* per unit u: its calls are of[first[u] .. first[u + 1]) */
	size_t *of;		/* indexes into call, by unit (each call under both ends) */
	uint64_t *at;		/* per unit: its address once fixed, else UINT64_MAX */
};

/* set_of: the cache set of address a. */
static uint64_t set_of(const struct ol_sets *s, uint64_t a)
{
	return a / s->line % s->nsets;
}

/* tied: call c ties unit u at addr to a unit whose address is fixed, its
 * return line and its callee's entry on one set. */
static bool tied(const struct bad *b, const struct ol_pcall *c, size_t u, uint64_t addr)
{
	uint64_t from = c->from == u ? addr : b->at[c->from];
	uint64_t to = c->to == u ? addr : b->at[c->to];

	return from != UINT64_MAX && to != UINT64_MAX &&
	       set_of(&b->pl->sets, from + c->ret) == set_of(&b->pl->sets, to);
}

/* cost: what unit u at addr costs (see the top of the file). */
static uint64_t cost(const struct bad *b, size_t u, uint64_t addr)
{
	struct ol_span sp = ol_plan_span(b->pl, u, addr);
	uint64_t sum = ol_sets_shared(&b->pl->sets, &sp);

	for (size_t i = b->first[u]; i < b->first[u + 1]; i++)
		if (tied(b, &b->call[b->of[i]], u, addr))
			sum += 2 * b->call[b->of[i]].weight;
	return sum;
}

/* pile: unit u at the address from the cursor on (aligned, within a way)
 * where it costs most (ties: the first); its hot lines join their sets. */
static int pile(struct bad *b, size_t u, struct ol_err *err)
{
	struct ol_plan *pl = b->pl;
	uint64_t step = pl->pu[u].align, at = (pl->cursor + step - 1) & ~(step - 1);
	uint64_t best = at, most = 0;
	struct ol_span sp;
	int rc;

	if (pl->sets.way / step > TRIES)
		step = pl->sets.way / TRIES;
	for (uint64_t a = at; a < at + pl->sets.way; a += step) {
		uint64_t c = cost(b, u, a);

		if (c > most) {
			best = a;
			most = c;
		}
	}
	rc = ol_plan_put(pl, u, -1, best, err);
	if (rc == 0) {
		b->at[u] = pl->place[pl->nplace - 1].addr;
		sp = ol_plan_span(pl, u, b->at[u]);
		ol_sets_add(&pl->sets, &sp, (int)pl->pu[u].role);
	}
	return rc;
}

/* index: each call listed under both its ends. */
static void index_calls(struct bad *b, size_t nunit)
{
	for (size_t i = 0; i < b->ncall; i++) {
		b->first[b->call[i].from + 1]++;
		b->first[b->call[i].to + 1]++;
	}
	for (size_t u = 0; u < nunit; u++)
		b->first[u + 1] += b->first[u];
	for (size_t i = 0; i < b->ncall; i++) {
		b->of[b->first[b->call[i].from]++] = i;
		b->of[b->first[b->call[i].to]++] = i;
	}
	for (size_t u = nunit; u > 0; u--)	/* each first[] moved to the next one's */
		b->first[u] = b->first[u - 1];
	b->first[0] = 0;
}

/* bad_init: the hot calls, indexed; units the plan cannot move fixed where they are. */
static int bad_init(struct bad *b, struct ol_plan *pl, struct ol_err *err)
{
	size_t n = pl->m->nunit;
	int rc;

	*b = (struct bad){ .pl = pl };
	rc = ol_plan_calls(pl, &b->call, &b->ncall, err);
	if (rc)
		return rc;
	b->first = calloc(n + 2, sizeof *b->first);
	b->of = malloc((2 * b->ncall + 1) * sizeof *b->of);
	b->at = malloc((n + 1) * sizeof *b->at);
	if (b->first == NULL || b->of == NULL || b->at == NULL)
		return ol_fail(err, -ENOMEM, "out of memory");
	for (size_t u = 0; u < n; u++)
		b->at[u] = pl->pu[u].placeable ? UINT64_MAX : pl->m->unit[u].addr;
	index_calls(b, n);
	return 0;
}

int ol_plan_bad(struct ol_plan *pl, struct ol_err *err)
{
	struct bad b;
	size_t *hot = NULL, n = 0;
	int rc = bad_init(&b, pl, err);

	if (rc == 0)
		rc = ol_plan_hot_order(pl, &hot, &n, err);
	/* path code first, then the library, then the rest, each by heat */
	for (int role = OL_PATH; role >= OL_OTHER && rc == 0; role--)
		for (size_t i = 0; i < n && rc == 0 && pl->cursor - pl->start < BAD_SPAN; i++)
			if ((int)pl->pu[hot[i]].role == role && !pl->placed[hot[i]])
				rc = pile(&b, hot[i], err);
	free(hot);
	free(b.call);
	free(b.first);
	free(b.of);
	free(b.at);
	return rc;
}
