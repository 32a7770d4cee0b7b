/*
 * ol_exe.h - an executable opened for a subcommand: the file, its ELF
 * tables and its model, opened and closed in one call each, so every
 * subcommand refuses the same inputs with the same words ("not a regular
 * file", "not an executable", ...).
 */
#ifndef OL_EXE_H
#define OL_EXE_H

#include <stdbool.h>
#include <sys/types.h>

#include "ol_model.h"

struct ol_exe {
	int fd;			/* the file libelf reads */
	bool own_fd;		/* opened by ol_exe_open (closed by ol_exe_close) */
	mode_t mode;		/* permission bits of the input */
	struct ol_elf elf;
	struct ol_model m;
};

/* ol_exe_open: open path read-only and build its model. */
int ol_exe_open(struct ol_exe *x, const char *path, struct ol_err *err);

/* ol_exe_open_copy: copy path's bytes into fd (a rewrite's temporary
 * output, kept open by the caller) and open that copy for writing; the
 * messages still name path. */
int ol_exe_open_copy(struct ol_exe *x, const char *path, int fd, struct ol_err *err);

/* ol_exe_close: free everything (safe after a failed open). */
void ol_exe_close(struct ol_exe *x);

#endif
