/* ol_prof_text.c - the function, edge and cold-function entries of a run
 * (no cold-function from samples: a function no sample hit may have run). */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Units of one name (static functions of several files) are one entry. */
struct named {
	const char *name, *callee;	/* callee: edges only */
	uint64_t a, b;			/* calls, insns / count */
	bool ran, whole;		/* whole: a function, not a fragment */
};

static int by_name(const void *x, const void *y)
{
	const struct named *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	return c || !a->callee ? c : strcmp(a->callee, b->callee);
}

static bool same(const struct named *a, const struct named *b)
{
	return strcmp(a->name, b->name) == 0 &&
	       (!a->callee || strcmp(a->callee, b->callee) == 0);
}

/* Sorts v and sums the entries of one name into the first of them;
 * returns the number left. */
static size_t merge(struct named *v, size_t n)
{
	size_t k = 0;
	qsort(v, n, sizeof *v, by_name);
	for (size_t i = 0; i < n; i++) {
		if (k && same(&v[k - 1], &v[i])) {
			v[k - 1].a += v[i].a;
			v[k - 1].b += v[i].b;
			v[k - 1].ran |= v[i].ran;
			v[k - 1].whole &= v[i].whole;
		} else
			v[k++] = v[i];
	}
	return k;
}

static void print_functions(const struct ol_prof *p, struct named *v, FILE *out)
{
	size_t n = 0;
	for (size_t u = 0; u < p->m->nunit; u++) {
		const struct ol_unit *un = &p->m->unit[u];
		if (ol_profile_is_symbol(un->name))
			v[n++] = (struct named){un->name, NULL, p->calls[u], p->self[u],
						p->ran[u] || p->fn_ran[u], !un->frag};
	}
	n = merge(v, n);
	for (size_t i = 0; i < n; i++)
		if (v[i].ran && v[i].b)
			fprintf(out, "function %s %" PRIu64 " %" PRIu64 "\n", v[i].name, v[i].a,
				v[i].b);
	for (size_t i = 0; !p->sampled && i < n; i++)
		if (!v[i].ran && v[i].whole)
			fprintf(out, "cold-function %s\n", v[i].name);
}

static void print_edges(const struct ol_prof *p, struct named *v, FILE *out)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nedge; i++) {
		const char *from = p->m->unit[p->edge[i].from].name;
		const char *to = p->m->unit[p->edge[i].to].name;
		if (ol_profile_is_symbol(from) && ol_profile_is_symbol(to))
			v[n++] = (struct named){from, to, p->edge[i].count, 0, true, true};
	}
	n = merge(v, n);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "edge %s %s %" PRIu64 "\n", v[i].name, v[i].callee, v[i].a);
}

int ol_prof_text(const struct ol_prof *p, FILE *out, struct ol_err *err)
{
	size_t n = p->m->nunit > p->nedge ? p->m->nunit : p->nedge;
	struct named *v = malloc((n ? n : 1) * sizeof *v);
	if (!v)
		return ol_fail(err, -ENOMEM, "%s: out of memory", p->exe);
	print_functions(p, v, out);
	print_edges(p, v, out);
	free(v);
	return 0;
}
