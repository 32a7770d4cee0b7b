/*
 * ol_layout.h - the layout file (format v1, see README.md): which units
 * go into the new text area, in which order, which are cloned for which
 * path, and which call sites go to the clones.
 */
#ifndef OL_LAYOUT_H
#define OL_LAYOUT_H

#include <stdio.h>

#include "ol_model.h"

struct ol_place {
	size_t unit;
	const char *path;	/* NULL: move the unit; else make NAME.clone.PATH */
	uint64_t align, pad;
	int line;
};

struct ol_route {
	size_t caller;		/* a function unit */
	size_t callee;		/* a unit */
	const char *path;
	int line;
};

struct ol_layout {
	size_t nplace;
	struct ol_place *place;
	size_t nroute;
	struct ol_route *route;
	size_t npath;
	char **path;		/* distinct path names; places point to these */
};

/* ol_layout_read: FILE read against model m. A unit that cannot move is an
 * error (FILE:LINE: 'x' cannot move: REASON), or with skip_unmovable a
 * warning, and its place, clone and routes to it are left out. */
int ol_layout_read(struct ol_layout *lay, const char *file, const struct ol_model *m,
		   bool skip_unmovable, struct ol_err *err);
/* ol_layout_read_from: the same from an open stream, named file in errors. */
int ol_layout_read_from(struct ol_layout *lay, const char *file, FILE *f,
			const struct ol_model *m, bool skip_unmovable, struct ol_err *err);
void ol_layout_free(struct ol_layout *lay);

/* ol_layout_clone: the place index of unit's clone for path, or -1. */
long ol_layout_clone(const struct ol_layout *lay, size_t unit, const char *path);

#endif
