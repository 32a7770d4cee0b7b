/* ol_plan_prof.c - the profile mapped onto the units of the executable:
 * training counts, roles (path, library, other hot, cold) and the call
 * graph the strategies order by (see ol_plan.h). */
#include "ol_plan.h"

#include <stdlib.h>
#include <string.h>

#include "ol_util.h"

#define MAX_HITS 16
/* A layer entered fewer times than the path's root ran, divided by this, is
 * not on the path in this build (the plugin inlined it into the root: its
 * few calls come from elsewhere). Cloned, a program that binds its
 * sessions to the clones would miss the plugin's guards (they compare with
 * the original) and leave the inlined path on every run. */
#define LAYER_MIN_SHARE 10

static size_t add_hit(size_t *hits, size_t n, size_t u)
{
	for (size_t i = 0; i < n; i++)
		if (hits[i] == u)
			return n;
	if (n < MAX_HITS)
		hits[n++] = u;
	return n;
}

/* match: the units (not clones of an earlier rewrite) a profile name
 * stands for: the symbol itself, else, for a profile written from another
 * build, GCC's variants of it (name.isra.0, name.constprop.0, name.part.0). */
static size_t match(const struct ol_model *m, const char *name, size_t *hits)
{
	size_t len = strlen(name), n = 0;

	for (size_t i = ol_model_first_name(m, name); i < m->nname && strcmp(m->names[i].name, name) == 0; i++)
		if (m->unit[m->names[i].unit].orig < 0)
			n = add_hit(hits, n, m->names[i].unit);
	if (n)
		return n;
	for (size_t i = ol_model_first_name(m, name); i < m->nname; i++) {
		const char *s = m->names[i].name;
		const struct ol_unit *un = &m->unit[m->names[i].unit];

		if (strncmp(s, name, len) != 0)
			break;
		if (s[len] == '.' && !un->frag && un->orig < 0 && strstr(s + len, ".clone.") == NULL)
			n = add_hit(hits, n, m->names[i].unit);
	}
	return n;
}

/* missing: a profile name the executable lacks: warned, or with strict the error. */
static int missing(struct ol_plan *pl, const char *what, const char *name, const char *profile,
		   bool strict, struct ol_err *err)
{
	if (strict)
		return ol_fail(err, -ENOENT, "%s: %s '%s' not in %s", profile, what, name,
			       pl->m->elf->path);
	ol_warn("%s: %s '%s' not in %s", profile, what, name, pl->m->elf->path);
	return 0;
}

/* nameable: whether a layout can name unit u (as NAME, else NAME@FILE). */
static bool nameable(const struct ol_model *m, size_t u)
{
	const struct ol_unit *un = &m->unit[u];
	char buf[600];
	long r = ol_unit_named(m, un->name);

	if (r == (long)u)
		return true;
	if (r != -2 || un->file == NULL ||
	    snprintf(buf, sizeof buf, "%s@%s", un->name, un->file) >= (int)sizeof buf)
		return false;
	return ol_unit_named(m, buf) == (long)u;
}

static uint64_t low_align(uint64_t addr)
{
	uint64_t a = 1;

	while (a < 16 && (addr & a) == 0)
		a <<= 1;
	return a;
}

bool ol_plan_warm(const struct ol_plan *pl, uint64_t count)
{
	return count * 2 >= (pl->prof->training ? pl->prof->training : 1);
}

/* counts: each unit's training counts; a version 1 profile has only call
 * edges, so a function's calls are the sum of its incoming edges. */
static int counts(struct ol_plan *pl, const char *profile, bool strict, struct ol_err *err)
{
	const struct ol_profile *p = pl->prof;
	size_t hits[MAX_HITS], nmiss = 0;
	const char *first = NULL;

	for (size_t i = 0; i < p->n_functions; i++) {
		size_t n = match(pl->m, p->functions[i].name, hits);

		for (size_t h = 0; h < n; h++) {
			pl->pu[hits[h]].calls += p->functions[i].calls;
			pl->pu[hits[h]].insns += p->functions[i].insns;
		}
		if (n == 0 && nmiss++ == 0)
			first = p->functions[i].name;
	}
	if (nmiss && strict)
		return missing(pl, "function", first, profile, strict, err);
	if (nmiss)
		ol_warn("%s: %zu of its functions are not in %s (the first: '%s')", profile, nmiss,
			pl->m->elf->path, first);
	for (size_t e = 0; p->n_functions == 0 && e < pl->nedge; e++) {
		struct ol_pu *to = &pl->pu[pl->edge[e].to];

		to->calls += pl->edge[e].count;
		to->insns += pl->edge[e].count * (pl->m->unit[pl->edge[e].to].size / 4 + 1);
	}
	return 0;
}

static int edge_cmp(const void *a, const void *b)
{
	const struct ol_pedge *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->to < y->to ? -1 : x->to > y->to;
}

/* The first unit match finds for a callee, by name, remembered: a large
 * profile names each function as the callee of many edges, and a search
 * of the model's names for each cost more than the rest of the edges. */
struct callees {
	const char **name;	/* open addressing; NULL: free slot */
	size_t *unit;		/* NO_UNIT: no unit has the name */
	size_t mask;
};

#define NO_UNIT ((size_t)-1)

static size_t first_unit(struct callees *c, const struct ol_model *m, const char *name)
{
	size_t h = 14695981039346656037ull, hits[MAX_HITS];

	for (const char *s = name; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;	/* FNV-1a */
	for (h &= c->mask; c->name[h]; h = (h + 1) & c->mask)
		if (strcmp(c->name[h], name) == 0)
			return c->unit[h];
	c->name[h] = name;
	c->unit[h] = match(m, name, hits) ? hits[0] : NO_UNIT;
	return c->unit[h];
}

/* edges: the profile's call edges between units (the first unit each name
 * stands for), sorted. A caller's edges come in one run (the writer sorts
 * them), so its name is matched once per run. */
static int edges(struct ol_plan *pl, struct ol_err *err)
{
	const struct ol_profile *p = pl->prof;
	size_t a[MAX_HITS], na = 0, slots = 16;
	const char *caller = NULL;
	struct callees c;

	while (slots < 2 * p->n_edges)	/* at most half full */
		slots *= 2;
	c.name = calloc(slots, sizeof *c.name);
	c.unit = malloc(slots * sizeof *c.unit);
	c.mask = slots - 1;
	pl->edge = malloc((p->n_edges + 1) * sizeof *pl->edge);
	if (pl->edge == NULL || c.name == NULL || c.unit == NULL) {
		free(c.name);
		free(c.unit);
		return ol_fail(err, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < p->n_edges; i++) {
		size_t b;

		if (!p->edges[i].count)
			continue;
		if (caller == NULL || strcmp(caller, p->edges[i].caller) != 0)
			na = match(pl->m, caller = p->edges[i].caller, a);
		if (na && (b = first_unit(&c, pl->m, p->edges[i].callee)) != NO_UNIT && a[0] != b)
			pl->edge[pl->nedge++] = (struct ol_pedge){ a[0], b, p->edges[i].count };
	}
	free(c.name);
	free(c.unit);
	qsort(pl->edge, pl->nedge, sizeof *pl->edge, edge_cmp);
	return 0;
}

/* add_member: unit u is a member of path p (once per path). */
static int add_member(struct ol_plan *pl, int p, size_t u, struct ol_err *err)
{
	for (size_t i = 0; i < pl->npmem; i++)
		if (pl->pmem[i].path == p && pl->pmem[i].unit == u)
			return 0;
	if (ol_grow((void **)&pl->pmem, &pl->cappmem, pl->npmem + 1, sizeof *pl->pmem))
		return ol_fail(err, -ENOMEM, "out of memory");
	pl->pmem[pl->npmem++] = (struct ol_pmember){ p, u };
	return 0;
}

static bool hot(const struct ol_pu *pu)
{
	return pu->calls || pu->insns;
}

/* root_calls: the calls into path p's root (its busiest unit of that name). */
static uint64_t root_calls(const struct ol_plan *pl, const struct ol_profile_path *pa)
{
	size_t hits[MAX_HITS];
	size_t n = match(pl->m, pa->root, hits);
	uint64_t most = 0;

	for (size_t h = 0; h < n; h++)
		if (pl->pu[hits[h]].calls > most)
			most = pl->pu[hits[h]].calls;
	return most;
}

/* roles: path members, then library marks, then functions that members
 * of two paths call (caller_path: scratch per unit), then other hot code; a hot fragment has its
 * function's role. */
static int roles(struct ol_plan *pl, const char *profile, bool strict, int *caller_path,
		 struct ol_err *err)
{
	const struct ol_profile *p = pl->prof;
	const struct ol_model *m = pl->m;
	size_t hits[MAX_HITS];
	int rc = 0;

	for (size_t u = 0; u < m->nunit; u++)
		pl->pu[u].role = hot(&pl->pu[u]) ? OL_OTHER : OL_COLD;
	for (size_t i = 0; i < p->n_library && rc == 0; i++) {
		size_t n = match(m, p->library[i], hits);

		for (size_t h = 0; h < n; h++)
			if (hot(&pl->pu[hits[h]]))
				pl->pu[hits[h]].role = OL_LIB;
		if (n == 0)
			rc = missing(pl, "library function", p->library[i], profile, strict, err);
	}
	for (size_t i = 0; i < p->n_paths && rc == 0; i++) {
		const struct ol_profile_path *pa = &p->paths[i];
		uint64_t least = root_calls(pl, pa) / LAYER_MIN_SHARE;

		for (size_t l = 0; l <= pa->n_layers && rc == 0; l++) {
			const char *fn = l ? pa->layers[l - 1] : pa->root;
			size_t n = match(m, fn, hits);

			for (size_t h = 0; h < n; h++) {
				struct ol_pu *pu = &pl->pu[hits[h]];

				if (!hot(pu) || (l && pu->calls < least))
					continue;
				if (pu->role != OL_PATH) {
					pu->role = OL_PATH;
					pu->path = (int)i;
				}
				if (pu->placeable)
					rc = add_member(pl, (int)i, hits[h], err);
			}
			if (n == 0)
				rc = missing(pl, l ? "path layer" : "path root", fn, profile, strict,
					     err);
		}
	}
	for (size_t u = 0; u < m->nunit; u++)
		caller_path[u] = -1;
	for (size_t e = 0; e < pl->nedge; e++) {
		const struct ol_pu *from = &pl->pu[pl->edge[e].from];
		size_t to = pl->edge[e].to;

		if (from->role != OL_PATH)
			continue;
		if (caller_path[to] < 0)
			caller_path[to] = from->path;
		else if (caller_path[to] != from->path && pl->pu[to].role == OL_OTHER)
			pl->pu[to].role = OL_LIB;
	}
	for (size_t u = 0; u < m->nunit; u++) {
		const struct ol_unit *un = &m->unit[u];

		if (un->frag && hot(&pl->pu[u]) && pl->pu[un->func].role > OL_OTHER) {
			pl->pu[u].role = pl->pu[un->func].role;
			pl->pu[u].path = pl->pu[un->func].path;
		}
	}
	return rc;
}

/* The never-run units that may fill padding, largest first: only where the
 * profile lists every function that ran (version 2), or marks it cold; not
 * the clones of an earlier rewrite (bipartite may move them as path code). */
static const struct ol_model *sort_model;

static int cold_cmp(const void *a, const void *b)
{
	uint64_t x = sort_model->unit[*(const size_t *)a].size;
	uint64_t y = sort_model->unit[*(const size_t *)b].size;

	if (x != y)
		return x > y ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int cold_list(struct ol_plan *pl, struct ol_err *err)
{
	const struct ol_model *m = pl->m;

	pl->cold = malloc((m->nunit + 1) * sizeof *pl->cold);
	if (pl->cold == NULL)
		return ol_fail(err, -ENOMEM, "out of memory");
	for (size_t u = 0; u < m->nunit; u++) {
		const struct ol_pu *pu = &pl->pu[u];
		bool sure = pl->prof->n_functions > 0 ||
			    ol_profile_is_cold_function(pl->prof, m->unit[u].name);

		if (pu->placeable && pu->role == OL_COLD && sure && m->unit[u].orig < 0)
			pl->cold[pl->ncold++] = u;
	}
	sort_model = m;
	qsort(pl->cold, pl->ncold, sizeof *pl->cold, cold_cmp);
	return 0;
}

int ol_plan_units(struct ol_plan *pl, const char *profile, bool strict, struct ol_err *err)
{
	const struct ol_model *m = pl->m;
	int rc;

	pl->pu = calloc(m->nunit + 1, sizeof *pl->pu);
	pl->placed = calloc(m->nunit + 1, sizeof *pl->placed);
	if (pl->pu == NULL || pl->placed == NULL)
		return ol_fail(err, -ENOMEM, "out of memory");
	for (size_t u = 0; u < m->nunit; u++) {
		pl->pu[u].align = low_align(m->unit[u].addr);
		pl->pu[u].path = -1;
		pl->pu[u].placeable = m->unit[u].why[0] == '\0' && nameable(m, u);
	}
	rc = edges(pl, err);
	if (rc == 0)
		rc = counts(pl, profile, strict, err);
	for (size_t u = 0; rc == 0 && u < m->nunit; u++) {
		struct ol_pu *pu = &pl->pu[u];
		uint64_t lines = m->unit[u].size / pl->geom.line + 1;
		bool warm = pu->calls ? ol_plan_warm(pl, pu->calls) : ol_plan_warm(pl, pu->insns);

		/* a unit entered less than once per two training units is cold on the sets */
		pu->heat = warm ? (pu->insns + lines - 1) / lines : 0;
		pl->insns += pu->insns;
	}
	if (rc == 0) {
		int *caller_path = malloc((m->nunit + 1) * sizeof *caller_path);

		rc = caller_path ? roles(pl, profile, strict, caller_path, err)
				 : ol_fail(err, -ENOMEM, "out of memory");
		free(caller_path);
	}
	if (rc == 0)
		rc = cold_list(pl, err);
	return rc;
}
