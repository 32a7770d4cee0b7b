/* ol_cmd.h - the subcommands of olayout (ol_main.c parses the command line). */
#ifndef OL_CMD_H
#define OL_CMD_H

#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <unistd.h>

#include "ol_err.h"

int ol_cmd_verify(const char *path, struct ol_err *err);
int ol_cmd_info(const char *path, bool json, struct ol_err *err);

/* plan and optimize (ol_plan.c). */
struct ol_plan_opts {
	const char *strategy, *profile, *cache, *exe;
	const char *out;		/* plan: the layout (NULL: stdout); optimize: OUT */
	const char *save_layout;	/* optimize: keep the layout here */
	bool strict;			/* a profile name missing from EXE is an error */
	bool hot_align;			/* --hot-align: units that ran start on 64 B (ol_plan_place.c) */
};
bool ol_plan_known(const char *strategy);
int ol_cmd_plan(const struct ol_plan_opts *o, struct ol_err *err);
int ol_cmd_optimize(const struct ol_plan_opts *o, struct ol_err *err);

/* ol_json_str: print s as a JSON string (ol_info.c). */
void ol_json_str(const char *s);

#endif
