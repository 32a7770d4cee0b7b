/*
 * ol_map.h - `olayout map`: a picture of an i-cache, one cell per set,
 * coloured by the code that maps there (path, library, other hot, cold:
 * roles from a profile, or by symbol alone), shaded by the profile's
 * instruction counts, sets holding more hot lines than ways marked; with
 * vs, two executables side by side on one scale.
 */
#ifndef OL_MAP_H
#define OL_MAP_H

#include "ol_err.h"

struct ol_map_opts {
	const char *cache;	/* GEOM (ol_geom_parse, ol_plan.h), NULL: the default */
	const char *profile;	/* NULL: roles by symbol */
	const char *out;	/* FILE.svg or FILE.png */
	const char *exe, *vs;	/* vs may be NULL */
};

int ol_cmd_map(const struct ol_map_opts *o, struct ol_err *err);

#endif
