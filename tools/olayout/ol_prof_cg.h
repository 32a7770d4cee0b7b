/*
 * ol_prof_cg.h - reader of callgrind's output format (as callgrind_annotate
 * reads it: name compression "(id) name", subposition compression "+N",
 * "-N", "*", calls= and jump lines). It keeps what `olayout profile` needs:
 * the instructions' self counts (Ir), the calls and the conditional jumps'
 * taken counts, all with the
 * instruction addresses callgrind writes (object-relative: link-time
 * addresses of the executable, offsets of a shared object's file).
 */
#ifndef OL_PROF_CG_H
#define OL_PROF_CG_H

#include <stddef.h>
#include <stdint.h>

#include "ol_err.h"

/* An instruction's count (one cost line; an address may repeat). */
struct ol_cg_insn {
	uint64_t addr;
	uint64_t count;
	size_t ob, fn;		/* names[OL_CG_OB][ob], names[OL_CG_FN][fn] */
};

/* A call site: count calls from addr (in ob) to the function cfn of cob at
 * to, their inclusive instruction count incl. */
struct ol_cg_call {
	uint64_t from, to;
	uint64_t count, incl;
	size_t ob, cob, cfn;
};

/* A conditional jump at from (in ob) to to, taken count times (callgrind
 * writes one only for a jump taken at least once). */
struct ol_cg_jump {
	uint64_t from, to;
	uint64_t count;
	size_t ob;
};

enum { OL_CG_OB, OL_CG_FL, OL_CG_FN, OL_CG_KINDS };

struct ol_cg {
	char **names[OL_CG_KINDS];	/* by id; a name without an id gets the next free one */
	size_t nnames[OL_CG_KINDS];
	struct ol_cg_insn *insn;
	size_t ninsn;
	struct ol_cg_call *call;
	size_t ncall;
	struct ol_cg_jump *jump;
	size_t njump;
};

/* ol_cg_read: parse the callgrind output file path; a malformed line is
 * "PATH:LINE: problem". */
int ol_cg_read(struct ol_cg *cg, const char *path, struct ol_err *err);
void ol_cg_free(struct ol_cg *cg);

/* ol_cg_append: add the run src to dst (its names under new ids; counts of
 * one address stay separate lines, which every reader sums) and empty src.
 * On failure both are as they were. */
int ol_cg_append(struct ol_cg *dst, struct ol_cg *src, struct ol_err *err);

#endif
