/* ol_plan_cache.c - cache geometries and which sets hot code occupies
 * (see ol_plan.h). */
#include "ol_plan.h"

#include <stdlib.h>
#include <string.h>

static bool pow2(uint64_t v)
{
	return v && (v & (v - 1)) == 0;
}

static int set_geom(struct ol_geom *g, const char *name, uint64_t size, uint64_t assoc,
		    uint64_t line)
{
	snprintf(g->name, sizeof g->name, "%s", name);
	g->size = size;
	g->assoc = assoc;
	g->line = line;
	return 0;
}

/* parse_triple: SIZE:WAYS:LINE, each a power of two, as the profile's
 * `cache` directive wants them; caches up to 1 GiB. */
static bool parse_triple(const char *s, uint64_t v[3])
{
	for (int i = 0; i < 3; i++) {
		char *end;

		if (*s < '0' || *s > '9')
			return false;
		errno = 0;
		v[i] = strtoull(s, &end, 10);
		if (errno || !pow2(v[i]) || *end != (i < 2 ? ':' : '\0'))
			return false;
		s = end + (i < 2);
	}
	return v[2] >= 4 && v[0] >= v[1] * v[2] && v[0] <= (1ull << 30);
}

int ol_geom_parse(struct ol_geom *g, const char *spec, const struct ol_profile *p,
		  const char *prof_file, struct ol_err *err)
{
	const struct ol_profile_cache *c;
	uint64_t v[3];

	if (spec == NULL)
		spec = p && p->n_caches ? p->caches[0].name : "alpha21064";
	c = p ? ol_profile_find_cache(p, spec) : NULL;
	if (c)
		return set_geom(g, c->name, c->size, c->assoc, c->line);
	if (strcmp(spec, "alpha21064") == 0)
		return set_geom(g, spec, 8192, 1, 32);
	if (strcmp(spec, "modern") == 0)
		return set_geom(g, spec, 32768, 8, 64);
	if (parse_triple(spec, v))
		return set_geom(g, spec, v[0], v[1], v[2]);
	/* the option is at fault, not EXE: say where the name was looked for */
	return ol_fail(err, -EINVAL,
		       "--cache '%s': unknown cache: want %s%s%salpha21064, modern "
		       "or SIZE:WAYS:LINE (powers of two)", spec, prof_file ? "a cache " : "",
		       prof_file ? prof_file : "", prof_file ? " names, " : "");
}

int ol_sets_init(struct ol_sets *s, const struct ol_geom *g, struct ol_err *err)
{
	memset(s, 0, sizeof *s);
	s->line = g->line;
	s->assoc = g->assoc;
	s->way = g->size / g->assoc;
	s->nsets = s->way / g->line;
	s->n = calloc(s->nsets, sizeof *s->n);
	s->heat = calloc(s->nsets, sizeof *s->heat);
	s->who = calloc(s->nsets, sizeof *s->who);
	s->tag = malloc(s->nsets * sizeof *s->tag);
	s->near = calloc(s->nsets, sizeof *s->near);
	if (!s->n || !s->heat || !s->who || !s->tag || !s->near) {
		ol_sets_free(s);
		return ol_fail(err, -ENOMEM, "out of memory");
	}
	for (uint64_t i = 0; i < s->nsets; i++)
		s->tag[i] = UINT64_MAX;
	return 0;
}

void ol_sets_free(struct ol_sets *s)
{
	free(s->n);
	free(s->heat);
	free(s->who);
	free(s->tag);
	free(s->near);
	memset(s, 0, sizeof *s);
}

/* line_heat: the heat of line l of sp (0: cold). */
static uint64_t line_heat(const struct ol_sets *s, const struct ol_span *sp, uint64_t l)
{
	uint64_t lo = l * s->line > sp->addr ? l * s->line : sp->addr;
	uint64_t hi = (l + 1) * s->line < sp->addr + sp->size ? (l + 1) * s->line
							      : sp->addr + sp->size;
	uint64_t h = 0;

	if (sp->chunk == NULL)
		return sp->heat;
	for (uint64_t k = (lo - sp->addr) / 16; k <= (hi - 1 - sp->addr) / 16; k++)
		h += sp->chunk[k];
	return h;
}

/* Lines are counted once: code placed back to back shares its boundary
 * line, which is then the last line (tag) its set received. */
void ol_sets_add(struct ol_sets *s, const struct ol_span *sp, int who)
{
	if (sp->size == 0)
		return;
	for (uint64_t l = sp->addr / s->line; l <= (sp->addr + sp->size - 1) / s->line; l++) {
		uint64_t set = l % s->nsets, h = line_heat(s, sp, l);

		if (h == 0)
			continue;
		s->who[set] |= (uint8_t)(1u << who);
		s->heat[set] += h;
		if (s->tag[set] == l)
			continue;
		s->tag[set] = l;
		s->n[set]++;
	}
}

void ol_sets_near(struct ol_sets *s, const struct ol_span *sp)
{
	if (sp == NULL) {
		memset(s->near, 0, s->nsets * sizeof *s->near);
		return;
	}
	if (sp->size == 0)
		return;
	for (uint64_t l = sp->addr / s->line; l <= (sp->addr + sp->size - 1) / s->line; l++)
		s->near[l % s->nsets] += line_heat(s, sp, l);
}

/* A set shared with a caller's or callee's lines costs this many times the
 * heat shared: 4 against 1 and 16 on the five packages' alpha21064 bands
 * (bench/results/external.md, 5 Dec 2026); 1 is the rule before it. */
#define OL_NEAR_WEIGHT 4

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* shared: what sp's hot lines share with the hot lines already in their
 * sets, each line the less run of it and its set's lines together; full:
 * only in sets with no free way. */
static uint64_t shared(const struct ol_sets *s, const struct ol_span *sp, bool full)
{
	uint64_t sum = 0;

	if (sp->size == 0)
		return 0;
	for (uint64_t l = sp->addr / s->line; l <= (sp->addr + sp->size - 1) / s->line; l++) {
		uint64_t set = l % s->nsets, h;

		if (s->n[set] < (full ? s->assoc : 1) || s->tag[set] == l)
			continue;
		h = line_heat(s, sp, l);
		sum += min64(h, s->heat[set]) + (OL_NEAR_WEIGHT - 1) * min64(h, s->near[set]);
	}
	return sum;
}

uint64_t ol_sets_cost(const struct ol_sets *s, const struct ol_span *sp)
{
	return shared(s, sp, true);
}

uint64_t ol_sets_best(const struct ol_sets *s, struct ol_span sp, uint64_t align)
{
	uint64_t at = sp.addr, best = at, best_cost = UINT64_MAX;

	for (sp.addr = at; sp.addr < at + s->way; sp.addr += align) {
		uint64_t c = ol_sets_cost(s, &sp);

		if (c < best_cost) {
			best = sp.addr;
			best_cost = c;
		}
		if (c == 0)
			break;
	}
	return best;
}

uint64_t ol_sets_shared(const struct ol_sets *s, const struct ol_span *sp)
{
	return shared(s, sp, false);
}

struct ol_span ol_plan_span(const struct ol_plan *pl, size_t u, uint64_t addr)
{
	return (struct ol_span){ addr, pl->m->unit[u].size, pl->pu[u].chunk, pl->pu[u].heat };
}

/* The PLT's stubs run whenever the program calls a shared library. */
static bool plt_section(const char *name)
{
	return strcmp(name, ".plt") == 0 || strcmp(name, ".plt.sec") == 0 ||
	       strcmp(name, ".plt.got") == 0;
}

void ol_plan_taken(struct ol_plan *pl)
{
	const struct ol_model *m = pl->m;
	const struct ol_elf *elf = m->elf;

	for (size_t i = 0; i < pl->prof->n_externals; i++) {
		const struct ol_profile_external *x = &pl->prof->externals[i];
		uint64_t lines = x->size / pl->geom.line + 1;

		struct ol_span sp = { x->addr, x->size, NULL, (x->insns + lines - 1) / lines };

		if (ol_plan_warm(pl, x->insns))
			ol_sets_add(&pl->sets, &sp, OL_TAKEN);
	}
	for (size_t u = 0; u < m->nunit; u++) {
		struct ol_span sp = ol_plan_span(pl, u, m->unit[u].addr);

		if (!pl->pu[u].placeable && pl->pu[u].role != OL_COLD)
			ol_sets_add(&pl->sets, &sp, OL_TAKEN);
	}
	for (size_t i = 1; i < elf->nsec; i++) {
		struct ol_span sp = { elf->sec[i].sh.sh_addr, elf->sec[i].sh.sh_size, NULL, 1 };

		if (elf->sec[i].name && plt_section(elf->sec[i].name))
			ol_sets_add(&pl->sets, &sp, OL_TAKEN);
	}
}
