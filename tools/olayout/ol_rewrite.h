/*
 * ol_rewrite.h - applying a layout: the placed units (moved or cloned) go
 * into a new text area, every reference is fixed from the kept relocations,
 * and a new executable is written (to a temporary file, renamed at the end).
 */
#ifndef OL_REWRITE_H
#define OL_REWRITE_H

#include "ol_err.h"

#include <stdbool.h>

struct ol_rewrite_opts {
	bool skip_unmovable;	/* leave units that cannot move in place, with a warning */
};

/* ol_rewrite: apply layout to exe, write out; o may be NULL (defaults). */
int ol_rewrite(const char *exe, const char *layout, const char *out,
	       const struct ol_rewrite_opts *o, struct ol_err *err);

#endif
