/* ol_geom.c - cache geometries by name (see ol_geom.h). */
#include "ol_geom.h"

#include <stdbool.h>
#include <stdio.h>
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
		  struct ol_err *err)
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
	return ol_fail(err, -EINVAL,
		       "unknown cache '%s': want a cache the profile names, alpha21064, modern "
		       "or SIZE:WAYS:LINE (powers of two)", spec);
}

uint64_t ol_geom_sets(const struct ol_geom *g)
{
	return g->size / (g->assoc * g->line);
}
