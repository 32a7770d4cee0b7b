/*
 * ol_rewrite.h - applying a layout: the placed units (moved or cloned) go
 * into a new text area, every reference is fixed from the kept relocations,
 * and a new executable is written (to a temporary file, renamed at the end).
 */
#ifndef OL_REWRITE_H
#define OL_REWRITE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdio.h>

#include "ol_err.h"

#include <stdbool.h>
#include <stdio.h>

struct ol_rewrite_opts {
	bool skip_unmovable;	/* leave units that cannot move in place, with a warning */
	FILE *stream;		/* read the layout from here (named layout in errors) */
	bool verify;		/* check OUT as `olayout verify` does before it replaces OUT */
};

/* ol_rewrite: apply layout to exe, write out; o may be NULL (defaults). */
int ol_rewrite(const char *exe, const char *layout, const char *out,
	       const struct ol_rewrite_opts *o, struct ol_err *err);

/* ol_rewrite_from: the layout read from lf (named layout in errors); with
 * verify, OUT is checked as `olayout verify` does before it replaces OUT. */
int ol_rewrite_from(const char *exe, const char *layout, FILE *lf, const char *out,
		    bool verify, struct ol_err *err);

#endif
