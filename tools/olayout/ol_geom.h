/*
 * ol_geom.h - an i-cache geometry as every olayout command names it: a
 * cache the profile names, alpha21064 (8192:1:32), modern (32768:8:64) or
 * SIZE:WAYS:LINE (bytes, powers of two).
 */
#ifndef OL_GEOM_H
#define OL_GEOM_H

#include <stdint.h>

#include "ol_err.h"
#include "ol_profile.h"

/* An i-cache: total bytes, ways, line bytes (powers of two). */
struct ol_geom {
	char name[64];
	uint64_t size, assoc, line;
};

/* ol_geom_parse: spec as above (p may be NULL); NULL takes the profile's
 * first cache, else alpha21064. */
int ol_geom_parse(struct ol_geom *g, const char *spec, const struct ol_profile *p,
		  struct ol_err *err);

/* ol_geom_sets: how many sets g has. */
uint64_t ol_geom_sets(const struct ol_geom *g);

#endif
