/*
 * olayout.h - what the plugin's files share: the options, the profile, and
 * the three passes. Include after gcc-plugin.h and the GCC headers.
 */
#ifndef OLAYOUT_PLUGIN_H
#define OLAYOUT_PLUGIN_H

#include "ol_profile.h"

/* Where the fdo pass (fdo.cc) runs: not at all; early, after
   profile_estimate (GCC's inliner and every later pass see the trained
   probabilities); late, after the last GIMPLE pass (only expand and the
   RTL passes do: block order, partitioning, register allocation; the
   inlining decisions are GCC's own). */
enum ol_fdo { OL_FDO_OFF, OL_FDO_EARLY, OL_FDO_LATE };

/* What split-cold moves into a function's cold partition (blocksplit.cc):
   nothing; the blocks that never ran by the block profile; those and the
   ones that ran fewer times than the rare count (as exttsp-warm's). */
enum ol_split { OL_SPLIT_OFF, OL_SPLIT_NEVER, OL_SPLIT_RARE };

/* The plugin's configuration, set once from the command line in
   plugin_init and read by the passes. */
struct ol_config {
	const struct ol_profile *profile; /* NULL: outlining from code alone */
	const struct ol_profile *copies;  /* its copy entries (copies=FILE, or profile's); NULL: none */
	const struct ol_profile *blocks;  /* block-profile=FILE's block entries; NULL: none */
	bool outline;			  /* run the outline pass */
	bool inline_paths;		  /* run the path-inline pass */
	enum ol_fdo fdo;		  /* where the fdo pass runs (with a profile) */
	bool loops;			  /* run the loops pass (with a profile's paths) */
	bool exttsp;			  /* block-order=exttsp: the block-order pass */
	bool switch_counts;		  /* switch-counts=on: fdo=late sets a switch with outlined exits */
	bool warm_last;			  /* block-order=exttsp-warm: rare blocks after the hot */
	enum ol_split split;		  /* split-cold=: blocks to the cold partition */
	bool block_ids;			  /* block-ids: the block-ids pass */
	bool verbose;			  /* say what is done and what is skipped */
	const char *report_file;	  /* NULL: no size report */
	double min_ratio;		  /* least calls per root run to inline */
	double cold_ratio;		  /* a block that ran fewer times per entry is cold */
	int cold_runs;			  /* a block that ran fewer times per training run is cold */
	double cold_ppm;		  /* ...or per million instructions of training */
	uint64_t rare_below;		  /* both as one count over the whole training (0: off) */
	double hot_ratio;		  /* least calls per root run to copy a helper */
	int max_growth;			  /* most instructions a helper's copy may add */
	/* the paths' hot helpers (ol_find_path_helpers), found once per
	   compilation when the profile is read; NULL without a profile */
	hash_set<nofree_string_hash> *helpers;
};

extern struct ol_config ol_cfg;

/* A call on a path that ran in training less often than this per run of
   the path's root is not worth a copy (an error branch, a rare case). */
#define OL_MIN_RATIO 0.1
/* A helper the path calls (not a layer) is copied into the path when it
   ran at least this often per run of the root and its copy adds at most
   OL_MAX_GROWTH instructions; helpers of helpers, OL_HELPER_ROUNDS deep. */
#define OL_HOT_RATIO 0.5
#define OL_MAX_GROWTH 50
#define OL_HELPER_ROUNDS 3

/* Prints "olayout: " and the message to stderr when verbose is on. */
void ol_note(const char *fmt, ...) ATTRIBUTE_PRINTF_1;

/* Says on stderr (verbose) and in the report what happened to the call
   caller -> callee on path: action ("inlined", "kept"...) and why. */
void ol_path_note(const char *path, const char *action, const char *caller,
		  const char *callee, const char *why);

/* The source name of a function, as the profile names it: the name of a
   clone such as f.isra, f.constprop or f.part.0 is f. */
const char *ol_fn_name(tree decl);
bool ol_is_clone_name(tree decl);
/* The function's symbol name (its assembler name, clones' suffixes kept:
   f.constprop.0). */
const char *ol_asm_name(tree decl);

/* Whether the profile's cold-function mark holds for decl (not when its
   lines ran: it ran inlined in training); say: a note when it does not. */
bool ol_cold_function(tree decl, bool say);

/* Whether fn is the root of one of the profile's paths. */
bool ol_is_root(const char *fn);

/* Whether fn is the root or a layer of one of the profile's paths. */
bool ol_on_path(const char *fn);

/* Whether fn is a hot helper of a path (path_inline.cc): no layer, and a
   path's function, or such a helper, called it in training at least
   hot-ratio times per run of the path's root, at most OL_HELPER_ROUNDS
   calls away from the path; a library function only when library (it is
   never copied, so its own calls are not followed). */
bool ol_path_helper(const char *fn, bool library);

/* The names ol_path_helper asks about, from p's paths and edges: every
   function a path's function or such a helper called at least hot_ratio
   times per run of the path's root, OL_HELPER_ROUNDS calls deep, library
   functions included (their own calls are not followed). The names are
   p's: the set lives no longer than p. */
hash_set<nofree_string_hash> *ol_find_path_helpers(const struct ol_profile *p, double hot_ratio);

/* Whether the copies' profile says stmt's inlined copy never ran in
   training (after IPA inlining only; why says so) (copies.cc); verbose:
   how many of fun's statements each rule decides. */
bool ol_copy_never_ran(gimple *stmt, char *why, size_t len);
/* Whether bb is a seed by such a copy alone (no statement of a
   cold-line): the seeds copies add, which outline.cc checks against the
   blocks that ran. */
bool ol_copy_seed(basic_block bb);
void ol_copies_note(function *fun);

/* The training count of bb (0: it never ran, a cold-line), or false when
   training says nothing about it (outline.cc). */
bool ol_block_count(basic_block bb, uint64_t *count);

/* The exits of fun's two-way branches that training never took although
   the branch ran: the profile's branch entries, mapped onto the branches
   as the fdo pass maps them (fdo.cc), appended to out. */
void ol_untaken_exits(function *fun, vec<edge> *out);

/* What path_inline.cc and icp.cc share: why GCC must not inline e (NULL:
   it may); whether the indirect call ie could call f (argument count);
   the defined functions called fn (as_target: only the function itself,
   whose address a pointer holds; else also inlined copies and clones). */
const char *ol_why_not_inline(cgraph_edge *e);
bool ol_arguments_fit(cgraph_edge *ie, cgraph_node *f);
auto_vec<cgraph_node *> ol_functions_named(const char *fn, bool as_target);

opt_pass *ol_make_fdo_pass(gcc::context *ctxt, bool late);
/* late: the second run, last of GIMPLE, where a loop's unroll mark came
   through LTO without its function's has_unroll. */
opt_pass *ol_make_loops_pass(gcc::context *ctxt, bool late);
opt_pass *ol_make_icp_pass(gcc::context *ctxt);
/* Orders the blocks of trained functions by ext-TSP after GCC's bbro. */
opt_pass *ol_make_blockorder_pass(gcc::context *ctxt);
/* Block and edge counts by flow conservation (flow.cc). */
const int64_t OL_FLOW_UNKNOWN = -1;
struct ol_flow {
	auto_vec<int64_t> block;  /* by block index */
	auto_vec<int64_t> edge;	  /* by slot (ol_flow_slot) */
	auto_vec<unsigned> first; /* by block index: the first slot of its entries */
};
/* Every count of fun's blocks and edges unknown. */
void ol_flow_init(struct ol_flow *f, function *fun);
/* e's slot: its destination's first plus its place among its entries. */
unsigned ol_flow_slot(const struct ol_flow *f, edge e);
int64_t &ol_flow_edge(struct ol_flow *f, edge e);
/* The sum of the known counts of edges; how many are unknown (the last
   one in *missing). */
int64_t ol_flow_known_sum(struct ol_flow *f, vec<edge, va_gc> *edges, int *n_unknown, edge *missing);
/* Fills in the counts conservation gives, to a fixed point; a missing
   edge takes a block's remainder only when it is at least least (1 where
   a remainder of 0 means the counts disagree). */
void ol_flow_propagate(struct ol_flow *f, function *fun, int64_t least);
/* fun's block counts from the block profile's entries for it (a block
   without one: by flow from its neighbours, else GCC's count, scaled),
   and the edge counts flow gives; false, with a verbose note, when it
   has none or they do not fit its blocks (blockprofile.cc). exact
   (unless NULL): by block index, whether the block's count is sure: an
   entry that counts every instruction of the block, or 0 for a block
   entered only from blocks that surely never ran (given exact, counts
   has those 0). */
bool ol_block_profile_counts(function *fun, struct ol_flow *counts, auto_vec<bool> *exact);
/* The count of e: flow's, else from those block counts. */
int64_t ol_block_profile_edge(edge e, const struct ol_flow &counts);
/* Why split-cold leaves fun's blocks where they are (NULL: it may move
   them): what GCC's bbpart would not split, or flow other than jumps (EH,
   abnormal edges, computed gotos, asm goto) (blocksplit.cc). */
const char *ol_split_refusal(function *fun);
/* In cfglayout mode, fun's blocks chained through aux: the blocks cold
   go to the cold partition (made when fun has none), the edges between
   the partitions are marked crossing and none falls through (new jump
   blocks chained after their source). */
void ol_split_partition(function *fun, const vec<basic_block> &cold);
/* CROSSING_JUMP_P on every jump of fun with a crossing edge, off on the
   others (after cfg_layout_finalize, which may invert jumps). */
void ol_split_mark_jumps(function *fun);
/* Gives every block its index as discriminator after GCC's bbro (before
   the block-order pass) and names the function in .olayout.blockids. */
opt_pass *ol_make_blockids_pass(gcc::context *ctxt);
/* late: the second run, after IPA inlining, on the bodies holding a path
   (roots hot; with inline-only their inlined helpers outlined). */
opt_pass *ol_make_outline_pass(gcc::context *ctxt, bool late);
opt_pass *ol_make_revive_pass(gcc::context *ctxt);
opt_pass *ol_make_path_inline_pass(gcc::context *ctxt);
opt_pass *ol_make_size_pass(gcc::context *ctxt);

/* Adds line (malloc'ed, ends in a newline) to the report. */
void ol_report_add(char *line);

/* Writes the size report collected by the size pass (PLUGIN_FINISH). */
void ol_write_report(void *gcc_data, void *user_data);

#endif
