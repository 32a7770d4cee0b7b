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

int ol_rewrite(const char *exe, const char *layout, const char *out, struct ol_err *err);

/* ol_rewrite_from: the layout read from lf (named layout in errors); with
 * verify, OUT is checked as `olayout verify` does before it replaces OUT. */
int ol_rewrite_from(const char *exe, const char *layout, FILE *lf, const char *out,
		    bool verify, struct ol_err *err);

#endif
