/*
 * ol_prof.h - `olayout profile`: a v2 profile from a callgrind run.
 *
 *   ol_prof_cmd.c    the command line and the steps
 *   ol_prof_run.c    runs the command under valgrind (callgrind)
 *   ol_prof_suite.c  --exe: the runs of the executable among the command's processes, summed
 *   ol_prof_cg.c     reads callgrind's output (ol_prof_cg.h)
 *   ol_prof_perf.c   reads perf.data (through perf script) as such a run
 *   ol_prof_perfrun.c  runs perf, reports its failures
 *   ol_prof_vglog.c  the load bias of each shared object (valgrind -v -v log)
 *   ol_prof_count.c  callgrind's counts onto the executable's functions
 *   ol_prof_lines.c  line and cold-line entries (DWARF line table, libdw)
 *   ol_prof_insn.c   insn entries (each instruction that ran)
 *   ol_prof_branch.c branch entries (each conditional jump that ran)
 *   ol_prof_copies.c copy entries (each inlined copy of a line: DWARF inline chains)
 *   ol_prof_blocks.c block entries (each block of a block-ids build: DWARF discriminators)
 *   ol_prof_ext.c    external entries (the code that ran in shared objects)
 *   ol_prof_paths.c  proposed paths and library marks (--paths N)
 *   ol_prof_text.c   the profile text: functions, edges, externals...
 *   ol_prof_merge.c  --merge
 */
#ifndef OL_PROF_H
#define OL_PROF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include <elfutils/libdw.h>

#include "ol_err.h"
#include "ol_model.h"
#include "ol_prof_cg.h"
#include "ol_profile.h"

/* An executed instruction of the executable: its summed count. */
struct ol_prof_insn {
	uint64_t addr, count;
};

/* A call edge between two units of the executable. */
struct ol_prof_edge {
	size_t from, to;
	uint64_t count;
};

/* A shared object's load bias: run-time address = callgrind's + bias. */
struct ol_prof_bias {
	char *path;
	uint64_t bias;
};

/* The counts of one run, mapped onto the executable's units. */
struct ol_prof {
	const char *exe;		/* the path given */
	const struct ol_model *m;
	const struct ol_cg *cg;
	bool *exe_ob;			/* per callgrind object id: it is the executable */
	struct ol_prof_insn *insn;	/* sorted by address, unique */
	size_t ninsn;
	uint64_t *self, *calls, *incl;	/* per unit: own instructions, entries, inclusive */
	bool *ran;			/* per unit: one of its instructions ran */
	bool *fn_ran;			/* per unit: its function or a fragment of it ran */
	struct ol_prof_edge *edge;	/* sorted by (from, to), unique */
	size_t nedge;
	bool sampled;			/* counts are samples: not sampled is not cold */
};

/* What a perf.data file held (ol_prof_perf). */
struct ol_prof_perf {
	char *event;			/* the sampled event, e.g. cpu-clock */
	uint64_t samples, exe_samples;	/* all, and those in the executable */
	uint64_t chains;		/* samples with a callchain */
};

/* ol_prof_perf: the samples of the perf.data file data, as a run cg of
 * m's executable exe: one count per sample at its address, one call per
 * caller -> callee pair of its callchain (objects as perf names them). */
int ol_prof_perf(struct ol_cg *cg, struct ol_prof_perf *out, const char *data,
		 const struct ol_model *m, const char *exe, struct ol_err *err);
void ol_prof_perf_free(struct ol_prof_perf *p);

/* ol_prof_perf_run: run perf (argv[0] "perf", argv[1] its command) and
 * hand its standard output to read, which reads it to the end; perf's own
 * failure is the one reported (data names the input). */
typedef int ol_prof_perf_reader(void *arg, FILE *fp, struct ol_err *err);
int ol_prof_perf_run(char *const *argv, const char *data, ol_prof_perf_reader *read,
		     void *arg, struct ol_err *err);

/* ol_prof_is_exe: whether the object path (as a run names it) is the
 * executable exe (st: its stat). */
bool ol_prof_is_exe(const char *path, const char *exe, const struct stat *st);

/* ol_prof_count: map cg's counts onto m's units (exe: EXE's path, to
 * recognise its callgrind object). */
int ol_prof_count(struct ol_prof *p, const struct ol_cg *cg, const struct ol_model *m,
		  const char *exe, struct ol_err *err);
void ol_prof_free(struct ol_prof *p);

/* ol_prof_base_name: the file name after the last '/'. */
const char *ol_prof_base_name(const char *path);

/* ol_prof_lines: print `line` and `cold-line` entries from the DWARF line
 * table of p's executable; *none is set when it has no line table. */
int ol_prof_lines(const struct ol_prof *p, FILE *out, bool *none, struct ol_err *err);

/* A row of a DWARF line table: it covers [lo, hi) of unit (never past
 * it, at least its first byte: empty says its own range was empty, the
 * next row starting at its address); file as the compiler was given it,
 * without blanks or '#'; disc its discriminator (0: none). */
struct ol_prof_row {
	size_t unit;
	uint64_t lo, hi;
	bool empty;
	const char *file;
	unsigned long line;
	unsigned disc;
};

/* ol_prof_rows: fn(arg, row, err) for each row of the DWARF line table of
 * the unit cu in a unit of p's executable; the first non-zero return
 * stops it. */
typedef int ol_prof_row_fn(void *arg, const struct ol_prof_row *r, struct ol_err *err);
int ol_prof_rows(const struct ol_prof *p, Dwarf_Die *cu, ol_prof_row_fn *fn, void *arg,
		 struct ol_err *err);

/* ol_prof_all_rows: ol_prof_rows over every compile (or partial) unit of
 * dw, p's executable's DWARF (the rows' file names live as long as dw). */
int ol_prof_all_rows(const struct ol_prof *p, Dwarf *dw, ol_prof_row_fn *fn, void *arg,
		     struct ol_err *err);

/* ol_prof_max_count: the largest count of an executed instruction of p
 * in [lo, hi) (0: none ran). */
uint64_t ol_prof_max_count(const struct ol_prof *p, uint64_t lo, uint64_t hi);

/* ol_prof_short_name: a DWARF file name as the compiler was given it:
 * relative to the unit's directory dir (NULL: none). */
const char *ol_prof_short_name(const char *file, const char *dir);

/* ol_prof_branches: print a `branch` entry per source location and exits
 * of the conditional jumps that ran (none from samples, none without a
 * DWARF line table). */
int ol_prof_branches(const struct ol_prof *p, FILE *out, struct ol_err *err);

/* ol_prof_copies: print a `copy` entry per inlined copy of a source line
 * in a function that ran (its call sites from the DWARF inline chain at
 * each line-table row): whether that copy ran, where a `line` sums every
 * copy (--copies); an error when the executable has no DWARF. */
int ol_prof_copies(const struct ol_prof *p, FILE *out, struct ol_err *err);

/* ol_prof_blocks: print a `block` entry per discriminator of the line-table
 * rows of each function that ran and that the `.olayout.blockids` section
 * lists (built with the plugin's block-ids); an error when EXE has no such
 * section (--blocks; none from samples). */
int ol_prof_blocks(const struct ol_prof *p, FILE *out, struct ol_err *err);

/* ol_prof_blockids_check: an error unless the executable exe has the
 * `.olayout.blockids` section (before a training run that --blocks needs). */
int ol_prof_blockids_check(const char *exe, struct ol_err *err);

/* ol_prof_copies_check: an error unless the executable exe has DWARF
 * (before a training run that --copies needs). */
int ol_prof_copies_check(const char *exe, struct ol_err *err);

/* ol_prof_insns: print an `insn` entry per instruction that ran (none
 * from samples); -EIO when out fails. */
int ol_prof_insns(const struct ol_prof *p, FILE *out);

/* ol_prof_paths: print up to n proposed `path` and their `library` marks. */
int ol_prof_paths(const struct ol_prof *p, unsigned n, FILE *out, struct ol_err *err);

/* ol_prof_vglog: the load biases named in a valgrind -v -v log. */
int ol_prof_vglog(const char *log, struct ol_prof_bias **out, size_t *n, struct ol_err *err);
void ol_prof_bias_free(struct ol_prof_bias *b, size_t n);

/* ol_prof_externals: print `external` entries for the hot code outside
 * the executable, at run-time addresses (bias from b). */
int ol_prof_externals(const struct ol_prof *p, const struct ol_prof_bias *b, size_t nb,
		      FILE *out, struct ol_err *err);

/* ol_prof_text: print the counts of p: function, edge, cold-function. */
int ol_prof_text(const struct ol_prof *p, FILE *out, struct ol_err *err);

#endif
