/*
 * ol_model.h - the code of an executable as olayout sees it: units
 * (functions, their GCC .cold fragments, clones made by an earlier rewrite),
 * the jump tables found in them, and for each unit whether it may move.
 */
#ifndef OL_MODEL_H
#define OL_MODEL_H

#include "ol_code.h"
#include "ol_elf.h"

struct ol_unit {
	const char *name;
	const char *file;	/* STT_FILE of a local symbol, or NULL */
	uint64_t addr, size;
	size_t sec;		/* the section holding it */
	size_t func;		/* the function it belongs to (itself for functions) */
	bool frag;		/* a .cold fragment of func */
	long orig;		/* a clone from an earlier rewrite: its original, else -1 */
	const char *path;	/* the clone's path name (points into name) */
	bool opaque;		/* bytes that do not decode: verify skips it */
	char why[160];		/* non-empty: must not move, and why */
};

/* A jump table: n entries of esize bytes at addr, read by code in unit. */
struct ol_table {
	uint64_t addr;
	uint32_t n;
	uint8_t esize;		/* 8: absolute (non-PIE), 4: target - table (PIE) */
	size_t unit;		/* the unit whose instruction reads it */
	size_t rel;		/* index in elf->rel of entry 0 */
};

struct ol_name {
	const char *name;
	const char *file;
	size_t unit;
};

struct ol_model {
	struct ol_elf *elf;
	size_t nunit;
	struct ol_unit *unit;	/* sorted by address, not overlapping */
	size_t nname;
	struct ol_name *names;	/* sorted by name: every symbol of a unit */
	size_t ntab;
	struct ol_table *tab;
	long *rel_tab;		/* per elf->rel: the table it is an entry of, or -1 */
};

int ol_model_build(struct ol_model *m, struct ol_elf *elf, struct ol_err *err);
void ol_model_free(struct ol_model *m);

/* ol_model_first_name: the index of the first entry of m->names not less
 * than name (m->nname if none). */
size_t ol_model_first_name(const struct ol_model *m, const char *name);

/* ol_unit_at: the unit holding va, or -1. */
long ol_unit_at(const struct ol_model *m, uint64_t va);

/* ol_unit_named: the unit a layout means by name: "NAME" is the global
 * (or weak) function NAME, else the one static NAME; "NAME@FILE" the static
 * NAME of FILE (its STT_FILE symbol, e.g. helper@a.c). -1 unknown, -2
 * ambiguous (statics of several files, no global). */
long ol_unit_named(const struct ol_model *m, const char *name);

/* ol_table_at: the table holding va, or -1. */
long ol_table_at(const struct ol_model *m, uint64_t va);

/*
 * Walking the code: ol_walk calls fn for every instruction of every unit (in
 * address order) and of the executable code outside units (unit == -1),
 * with the range [r0, r1) of elf->rel entries that lie inside it. Bytes
 * that do not decode are reported once with in == NULL.
 */
typedef int (*ol_walk_fn)(void *arg, long unit, const struct ol_insn *in,
			  uint64_t bad_addr, size_t r0, size_t r1);
int ol_walk(const struct ol_model *m, struct ol_dis *d, ol_walk_fn fn, void *arg);

/* ol_walk_unit: the same for one unit only. */
int ol_walk_unit(const struct ol_model *m, struct ol_dis *d, size_t u,
		 ol_walk_fn fn, void *arg);

#endif
