/* ol_tune.h - `olayout tune`: a layout's start chosen by simulated I1
 * misses on a command (ol_tune.c). */
#ifndef OL_TUNE_H
#define OL_TUNE_H

#include <stddef.h>
#include <stdint.h>

#include "ol_err.h"

struct ol_tune_opts {
	const char *exe, *layout, *out;
	const char *cache;		/* GEOM (ol_geom_parse); NULL: modern */
	const char *save_layout;	/* the chosen layout, or NULL */
	unsigned tries;			/* pads 0, step, ... (tries - 1) step */
	uint64_t step;
	char *const *cmd;		/* runs OUT (itself, or a script that does) */
	size_t ncmd;
};

/* ol_cmd_tune: OUT, EXE rewritten with the layout at the pad whose run of
 * cmd misses least in the simulated I1; on failure no OUT. */
int ol_cmd_tune(const struct ol_tune_opts *o, struct ol_err *err);

#endif
