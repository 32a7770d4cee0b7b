/*
 * ol_plan.h - the layout planner: a profile (profiles/README.md), an
 * executable's model and an i-cache geometry in, a layout (format v1, the
 * interface to the rewriter) out. ol_plan.c drives it; each strategy has
 * its own file (ol_plan_STRATEGY.c); ol_plan_cache.c knows the cache sets.
 */
#ifndef OL_PLAN_H
#define OL_PLAN_H

#include <stdbool.h>
#include <stdio.h>

#include "ol_model.h"
#include "ol_profile.h"

/* An i-cache: total bytes, ways, line bytes (powers of two). */
struct ol_geom {
	char name[64];
	uint64_t size, assoc, line;
};

/* ol_geom_parse: GEOM is a cache the profile p (read from prof_file, both
 * may be NULL) names, alpha21064, modern or SIZE:WAYS:LINE; NULL takes the
 * profile's first cache, else alpha21064. An unknown GEOM's message begins
 * with "--cache". */
int ol_geom_parse(struct ol_geom *g, const char *spec, const struct ol_profile *p,
		  const char *prof_file, struct ol_err *err);

enum ol_role { OL_COLD, OL_OTHER, OL_LIB, OL_PATH };

/* A unit as the planner sees it. */
struct ol_pu {
	uint64_t calls, insns;	/* training counts; 0 and 0: never ran */
	uint64_t heat;		/* instructions run per line of it: its conflict weight */
	uint64_t *chunk;	/* heat of each 16 bytes of it (ol_plan_lines.c), NULL: uniform */
	uint64_t align;		/* what its code assumes (up to 16) */
	enum ol_role role;
	int path;		/* the first profile path it is a root or layer of, or -1 */
	bool placeable;		/* movable, and a layout can name it */
};

/* A call-graph edge between function units, from the profile. */
struct ol_pedge {
	size_t from, to;
	uint64_t count;
};

/* One layout directive: place (path < 0) or clone unit for profile path. */
struct ol_pplace {
	size_t unit;
	int path;
	uint64_t align, pad;
	uint64_t addr;		/* where the rewriter will put it */
	bool shadow;		/* an original on the sets of its path code */
};

/* A unit that is a root or layer of a profile path, in path order. */
struct ol_pmember {
	int path;
	size_t unit;
};

struct ol_proute {
	size_t caller, callee;
	int path;
};

/* The sets of one cache: per set the hot lines mapped there and their heat. */
struct ol_sets {
	uint64_t nsets, line, way, assoc;
	uint32_t *n;		/* per set: hot lines */
	uint64_t *heat;		/* per set: the heat of its lines, summed */
	uint8_t *who;		/* per set: OR of 1 << role, 1 << OL_TAKEN */
	uint64_t *tag;		/* per set: the line added last */
	uint64_t *near;		/* per set: the heat of the placing unit's callers'
				 * and callees' lines (ol_sets_near), or all 0 */
};

struct ol_plan {
	const struct ol_model *m;
	const struct ol_profile *prof;
	struct ol_geom geom;
	const char *strategy;
	struct ol_pu *pu;		/* per unit */
	struct ol_pedge *edge;		/* sorted by from, then to */
	size_t nedge;
	struct ol_pmember *pmem;	/* hot placeable members of every path */
	size_t npmem, cappmem;
	struct ol_pplace *place;
	size_t nplace, capplace;
	struct ol_proute *route;
	size_t nroute, caproute;
	uint64_t start;			/* the rewriter's first address */
	uint64_t cursor;		/* the end of what is placed so far */
	bool *placed;			/* per unit: moved already (clones apart) */
	size_t *cold;			/* never-run placeable units, largest first */
	size_t ncold, nextcold;
	struct ol_sets sets;
	size_t nclone;
	size_t nchunked;		/* units with line-level heat */
	uint64_t hot_bytes;
	uint64_t insns;			/* the training's instructions in all units */
	bool fit_all;			/* ol_plan_fit: no limit on hot code (cdsort) */
	bool hot_align;			/* a unit that ran starts on 64 B if cheap (ol_plan_place.c) */
	char note[256];			/* said after the summary, if any */
};

/* The strategies: each appends places and routes to pl. */
int ol_plan_std(struct ol_plan *pl, struct ol_err *err);
int ol_plan_bad(struct ol_plan *pl, struct ol_err *err);
int ol_plan_ph(struct ol_plan *pl, struct ol_err *err);
int ol_plan_hfsort(struct ol_plan *pl, struct ol_err *err);
int ol_plan_cds(struct ol_plan *pl, struct ol_err *err);
int ol_plan_bip(struct ol_plan *pl, struct ol_err *err);
int ol_plan_color(struct ol_plan *pl, struct ol_err *err);

/* ol_plan_ph_order: the hot placeable units in Pettis & Hansen's order
 * (*out malloc'd, *n of them). */
int ol_plan_ph_order(const struct ol_plan *pl, size_t **out, size_t *n, struct ol_err *err);

/* ol_plan_units: per-unit counts, roles and the call graph from the
 * profile (ol_plan_prof.c). strict: a profile name missing from the
 * executable is an error, else a warning. */
int ol_plan_units(struct ol_plan *pl, const char *profile, bool strict, struct ol_err *err);

/* ol_plan_warm: code run count times in training runs at least once per
 * two of its units (the profile's `training`): worth a cache line. */
bool ol_plan_warm(const struct ol_plan *pl, uint64_t count);

/* A hot call from unit from to the entry of unit to: ret, the byte of from
 * after it (where the call returns); weight, the heat of from's code there. */
struct ol_pcall {
	size_t from, to;
	uint64_t ret, weight;
};

/* ol_plan_calls: the direct hot calls between hot units, from the
 * relocations (ol_plan_calls.c; *out malloc'd, *n of them). */
int ol_plan_calls(const struct ol_plan *pl, struct ol_pcall **out, size_t *n, struct ol_err *err);

/* ol_plan_lines: heat per 16 bytes of hot units from the profile's `line`
 * counts and EXE's DWARF line table (nothing without either). */
int ol_plan_lines(struct ol_plan *pl, struct ol_err *err);

/* Placing (ol_plan_place.c). ol_plan_at: the first address from the cursor
 * on, aligned to align, at cache offset off (mod the way size). */
uint64_t ol_plan_at(const struct ol_plan *pl, uint64_t off, uint64_t align);
/* ol_plan_put: unit (a clone for path >= 0) at addr >= the cursor; the gap
 * before it is padding, or never-run code when some fits. */
int ol_plan_put(struct ol_plan *pl, size_t unit, int path, uint64_t addr, struct ol_err *err);
/* ol_plan_next: unit right after what is placed (its own alignment). */
int ol_plan_next(struct ol_plan *pl, size_t unit, int path, struct ol_err *err);
/* ol_plan_fit: unit (a clone for path >= 0) first fit: from the cursor on,
 * the first address where its hot lines find sets with a free way, else
 * where they cost least; its lines join the sets as role. Past 4 caches of
 * hot code placed it packs, unless the plan says fit_all. */
int ol_plan_fit(struct ol_plan *pl, size_t unit, int path, int role, struct ol_err *err);
int ol_plan_route(struct ol_plan *pl, size_t caller, size_t callee, int path,
		  struct ol_err *err);
/* ol_plan_hot_order: hot placeable units (functions and fragments) not yet
 * placed, by heat then address, into *out (malloc'd). */
int ol_plan_hot_order(struct ol_plan *pl, size_t **out, size_t *n, struct ol_err *err);

/* The cache sets (ol_plan_cache.c). */
int ol_sets_init(struct ol_sets *s, const struct ol_geom *g, struct ol_err *err);
void ol_sets_free(struct ol_sets *s);
/* The code a set sees: [addr, addr+size) with heat per 16-byte chunk
 * (chunk, from addr on) or heat uniform per line; lines of no heat are
 * cold and take no way. */
struct ol_span {
	uint64_t addr, size;
	const uint64_t *chunk;
	uint64_t heat;
};

/* ol_sets_add: the hot lines of sp join their sets, role bit who. */
void ol_sets_add(struct ol_sets *s, const struct ol_span *sp, int who);
/* ol_sets_near: sp's hot lines are a caller's or callee's of the unit
 * placed next (sp NULL: forget them all). */
void ol_sets_near(struct ol_sets *s, const struct ol_span *sp);
/* ol_sets_cost: what adding sp would cost in conflicts (0: every hot line
 * lands in a set with a free way): a line that must share evicts and is
 * evicted about as often as the less run of it and the set's other lines
 * together; with a caller's or callee's lines (ol_sets_near), which run
 * in turn with it, OL_NEAR_WEIGHT (4) times as often (ol_plan_cache.c). */
uint64_t ol_sets_cost(const struct ol_sets *s, const struct ol_span *sp);
/* ol_sets_best: the address from sp->addr on (in steps of align, within a
 * way) where sp costs least; ties go to the first. */
uint64_t ol_sets_best(const struct ol_sets *s, struct ol_span sp, uint64_t align);
/* ol_sets_shared: what sp's hot lines share with the hot lines already in
 * their sets, full or not (what BAD seeks), counted as ol_sets_cost counts. */
uint64_t ol_sets_shared(const struct ol_sets *s, const struct ol_span *sp);
/* ol_plan_span: unit u at addr as the sets see it. */
struct ol_span ol_plan_span(const struct ol_plan *pl, size_t u, uint64_t addr);
/* ol_plan_taken: the sets hot code the plan cannot move maps to (the
 * profile's external code, hot unmovable units, PLT stubs). */
void ol_plan_taken(struct ol_plan *pl);

#define OL_TAKEN 4	/* the who bit of code the plan does not place */

#endif
