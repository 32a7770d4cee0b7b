/*
 * ol_paths.h - `olayout paths`: a profile (profiles/README.md) mapped onto
 * an executable: each path's root and layers as found in it (hot size,
 * .cold fragments, clones for that path), the path's static hot size and
 * the i-cache lines its code touches; the library functions apart.
 */
#ifndef OL_PATHS_H
#define OL_PATHS_H

#include <stdbool.h>

#include "ol_err.h"

struct ol_paths_opts {
	const char *profile;
	const char *exe;
	bool json;
	bool strict;	/* a profile function missing from exe is an error */
};

/* ol_paths_names: symbol sym is profile function fn: fn itself or one of
 * GCC's variants of it (fn.isra.N, .constprop.N, .part.N, .lto_priv.N), not
 * an olayout clone. */
bool ol_paths_names(const char *sym, const char *fn);

int ol_cmd_paths(const struct ol_paths_opts *o, struct ol_err *err);

#endif
