/* ol_prof_text.c - the function, edge and cold-function entries of a run
 * (no cold-function from samples: a function no sample hit may have run). */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ol_util.h"

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

/* Entries of one name (units of static functions, or one caller and
 * callee): their counts summed. */
static void fold_named(void *into, const void *from)
{
	struct named *a = into;
	const struct named *b = from;
	a->a += b->a;
	a->b += b->b;
	a->ran |= b->ran;
	a->whole &= b->whole;
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
	n = ol_sort_fold(v, n, sizeof *v, by_name, fold_named); /* one per name */
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
	n = ol_sort_fold(v, n, sizeof *v, by_name, fold_named); /* one per caller and callee */
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
