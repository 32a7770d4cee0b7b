/*
 * ol_profile.h - the profile format shared by the GCC plugin and olayout.
 *
 * The format is defined in profiles/README.md. ol_profile_load() reads a
 * file, ol_profile_parse() a buffer; both return 0 and a profile, or a
 * negative errno-style code with one line "FILE:LINE: problem" in err.
 * The arrays keep the file's order; the lookups use sorted indexes the
 * parser builds, so they work on parsed profiles only.
 * ol_profile_write() prints the canonical text the reader reads back as is.
 * C11; usable from C++ (the plugin).
 */
#ifndef OL_PROFILE_H
#define OL_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The newest version; the reader also reads versions 1 to 6. */
#define OL_PROFILE_VERSION 7
#define OL_PROFILE_ERR_MAX 512

/* A source location never executed in training. */
struct ol_profile_line {
	char *file;
	unsigned long line;
};

/* A latency-critical path: its root, then the layers in call order. */
struct ol_profile_path {
	char *name;
	char *root;
	char **layers;
	size_t n_layers;
};

/* A call-graph edge and how often it ran in training. */
struct ol_profile_edge {
	char *caller;
	char *callee;
	uint64_t count;
};

/* An instruction-cache geometry, sizes in bytes. */
struct ol_profile_cache {
	char *name;
	unsigned long size;
	unsigned long assoc;
	unsigned long line;
};

/* v2: a function's training counts: entries and self instructions. */
struct ol_profile_function {
	char *name;
	uint64_t calls;
	uint64_t insns;
};

/* v2: a source location that ran: the largest count of its instructions. */
struct ol_profile_hot_line {
	char *file;
	unsigned long line;
	uint64_t count;
};

/* v2: hot code of a shared object, at its address in the training run. */
struct ol_profile_external {
	char *name;
	char *object;
	uint64_t addr;
	uint64_t size;
	uint64_t insns;
};

/* v4: one instruction that ran: its byte offset in function FN (a function
 * or fragment, as `function` names it) and its count. */
struct ol_profile_insn {
	char *function;
	uint64_t offset;
	uint64_t count;
};

/* v5: the conditional branches of one source location (FILE:LINE) whose
 * taken exit starts at location TAKEN and whose fall-through at FALL, and
 * how often each exit was followed, summed over such branches. */
struct ol_profile_branch {
	char *file;
	unsigned long line;
	char *taken_file;
	unsigned long taken_line;
	char *fall_file;
	unsigned long fall_line;
	uint64_t taken;
	uint64_t fall;
};

/* v6: the code of one inlined copy of a source line in function FN: the
 * call sites that put it there (outermost first), then the line itself
 * (locs[n_locs - 1]), and the largest count of its instructions (0: none
 * ran in this copy, whatever the line's count elsewhere). */
struct ol_profile_copy {
	char *function;
	struct ol_profile_line *locs;
	size_t n_locs; /* at least 2: one call site and the line */
	uint64_t count;
};

/* v7: one basic block of function FN (its assembler name, as the plugin's
 * `.olayout.blockids` marker lists it; a `.cold` fragment's code counts
 * for FN): its id (GCC's bb->index at the plugin's block-order point, the
 * discriminator of its instructions' line-table rows), and the largest
 * count of one of its instructions (0: none ran). */
struct ol_profile_block {
	char *function;
	uint64_t id; /* 1 to 2^32 - 1 */
	uint64_t count;
};

struct ol_profile_index; /* the parser's sorted lookup orders */

struct ol_profile {
	unsigned version;
	char *exe;	   /* v2, NULL when absent */
	uint64_t training; /* v2, 0 when absent */
	char *samples;	   /* v3: the counts are samples of this perf event; NULL: instructions */
	char **cold_functions;
	size_t n_cold_functions;
	struct ol_profile_line *cold_lines;
	size_t n_cold_lines;
	struct ol_profile_path *paths;
	size_t n_paths;
	char **library;
	size_t n_library;
	struct ol_profile_edge *edges;
	size_t n_edges;
	struct ol_profile_cache *caches;
	size_t n_caches;
	struct ol_profile_function *functions;
	size_t n_functions;
	struct ol_profile_hot_line *lines;
	size_t n_lines;
	struct ol_profile_external *externals;
	size_t n_externals;
	struct ol_profile_insn *insns;
	size_t n_insns;
	struct ol_profile_branch *branches;
	size_t n_branches;
	struct ol_profile_copy *copies;
	size_t n_copies;
	struct ol_profile_block *blocks;
	size_t n_blocks;
	struct ol_profile_index *index;
};

int ol_profile_load(const char *file, struct ol_profile **out, char *err, size_t errlen);
int ol_profile_parse(const char *name, const char *text, size_t len,
		     struct ol_profile **out, char *err, size_t errlen);
void ol_profile_free(struct ol_profile *p);
/* Sorted, deterministic text; 0, or -EIO / -ENOMEM. */
int ol_profile_write(FILE *fp, const struct ol_profile *p);

/* A symbol name the format can hold (profiles/README.md's field rules). */
bool ol_profile_is_symbol(const char *s);
bool ol_profile_is_cold_function(const struct ol_profile *p, const char *fn);
bool ol_profile_is_library(const struct ol_profile *p, const char *fn);
/* file is a statement's source file as the compiler names it. */
bool ol_profile_is_cold_line(const struct ol_profile *p, const char *file, unsigned long line);
const struct ol_profile_path *ol_profile_find_path(const struct ol_profile *p, const char *name);
const struct ol_profile_cache *ol_profile_find_cache(const struct ol_profile *p, const char *name);
const struct ol_profile_function *ol_profile_find_function(const struct ol_profile *p,
							     const char *name);
/* True when a `line` entry matches (file as for ol_profile_is_cold_line). */
bool ol_profile_line_count(const struct ol_profile *p, const char *file, unsigned long line,
			   uint64_t *count);
/* Whether a compiler's file name (a statement's) is the profile's file:
 * equal, or ending in '/' and it. */
bool ol_profile_file_matches(const char *file, const char *want);
/* The `branch` entries from the location (file as for
 * ol_profile_is_cold_line): how many there are; the first max of them go to
 * out[]. */
size_t ol_profile_branches_at(const struct ol_profile *p, const char *file, unsigned long line,
			      const struct ol_profile_branch **out, size_t max);
/* The count of the inlined copy of function fn whose call sites and line
 * are files[i]:lines[i], i < n (outermost first, the line last; files as
 * for ol_profile_is_cold_line); false when the profile has no such copy. */
bool ol_profile_copy_count(const struct ol_profile *p, const char *fn, const char *const *files,
			   const unsigned long *lines, size_t n, uint64_t *count);
/* The `block` entries of function fn (its assembler name, compared
 * exactly), by id: how many there are; the first max of them go to out[]. */
size_t ol_profile_blocks_of(const struct ol_profile *p, const char *fn,
			    const struct ol_profile_block **out, size_t max);
/* The count of block id of function fn; false when the profile has no
 * such entry. */
bool ol_profile_block_count(const struct ol_profile *p, const char *fn, uint64_t id,
			    uint64_t *count);
/* The edge's count, 0 when the profile has no such edge. */
uint64_t ol_profile_edge_count(const struct ol_profile *p, const char *caller,
			       const char *callee);

#ifdef __cplusplus
}
#endif

#endif
