/* ol_prof_cmd.h - the options of `olayout profile` (ol_main.c reads them). */
#ifndef OL_PROF_CMD_H
#define OL_PROF_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ol_err.h"

struct ol_prof_opts {
	const char *out;		/* -o */
	const char *exe;		/* EXE, --exe, or the command's executable */
	unsigned paths;			/* --paths N */
	bool copies;			/* --copies */
	bool blocks;			/* --blocks */
	uint64_t training;		/* --training RUNS */
	const char *callgrind;		/* --from-callgrind FILE */
	const char *vglog;		/* --valgrind-log LOG */
	const char *perf;		/* --from-perf perf.data */
	char **vgopts;			/* --instr-atstart=no, --toggle-collect=FN */
	size_t nvgopts;
	char **cmd;			/* after -- */
	size_t ncmd;
	char **merge;			/* --merge A B... */
	size_t nmerge;
};

/* ol_cmd_profile: the profile o asks for, written to o->out whole or not
 * at all. */
int ol_cmd_profile(struct ol_prof_opts *o, struct ol_err *err);

/* ol_prof_merge: the profiles in[0..n) summed, as profile text. */
int ol_prof_merge(char *const *in, size_t n, FILE *fp, struct ol_err *err);

#endif
