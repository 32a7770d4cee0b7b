/*
 * ol_rewrite.h - applying a layout: the placed units (moved or cloned) go
 * into a new text area, every reference is fixed from the kept relocations,
 * and a new executable is written (to a temporary file, renamed at the end).
 */
#ifndef OL_REWRITE_H
#define OL_REWRITE_H

#include <stdbool.h>
#include <stdio.h>

#include "ol_err.h"
#include "ol_model.h"

/* A step that writes the layout once EXE's model is built (optimize's
 * plan: one model, one Capstone sweep, for the plan and the rewrite): it
 * returns the stream to read the layout from in *stream. */
typedef int (*ol_rewrite_plan_fn)(void *arg, const struct ol_model *m, FILE **stream,
				  struct ol_err *err);

struct ol_rewrite_opts {
	bool skip_unmovable;	/* leave units that cannot move in place, with a warning */
	FILE *stream;		/* read the layout from here (named layout in errors) */
	bool verify;		/* check OUT as `olayout verify` does before it replaces OUT */
	ol_rewrite_plan_fn plan;	/* if set, gives the stream (plan_arg its argument) */
	void *plan_arg;
};

/* ol_rewrite: apply layout to exe, write out; o may be NULL (defaults). */
int ol_rewrite(const char *exe, const char *layout, const char *out,
	       const struct ol_rewrite_opts *o, struct ol_err *err);

#endif
