/*
 * outline.cc - the outline pass: cold seeds and the blocks they dominate
 * get a zero count, so that GCC's bbpart moves them to fn.cold.
 *
 * A GIMPLE pass right after profile_estimate (counts exist from there on).
 * Training first: a block holding a statement from a line that ran (the
 * profile's line counts) ran, and is never cold, whatever a guess says; a
 * block holding a cold-line (and no line that ran) is a cold seed, and so
 * is, with cold-ratio=R, a block that ran fewer than R times per entry of
 * its function, and with cold-runs=N one that ran fewer than N times per
 * training run, or with cold-ppm=R fewer than R times per million
 * instructions of training (rare in absolute terms: in a function entered
 * very often a block can run rarely per entry and still be hot). Where training says nothing, guesses decide: a block that
 * calls a noreturn or cold function (or a cold-function of the profile),
 * or the unexpected side of __builtin_expect, is a seed. So is (outlining
 * everywhere) a block that only a branch's never-taken direction enters,
 * by the profile's branch entries, although its line ran. No block after a
 * seed can run without the seed running first, so the seed's dominator
 * subtree is cold, less the blocks that ran and those between them; a
 * seed on every way into or out of a block that ran is none. Edges into it get probability
 * never and their sibling edges are scaled up to sum to always. Blocks that
 * ran get their training counts (scaled to the function's entry count) in
 * the paths' functions.
 * Verbose names the rule behind each seed and each overruled guess.
 *
 * With inline-only the path's functions (root and layers) and its hot
 * helpers are outlined all the same, so that the copies path-inlining makes
 * keep their never-run blocks out of the hot body (and a helper's size
 * estimate is that of what runs); elsewhere the pass only feeds counts:
 * never-run blocks get a tiny count instead of zero, so nothing moves.
 *
 * The late pass (after IPA inlining, before the optimisations) visits the
 * bodies that hold a path: it gives each path's root GCC's hot frequency
 * (.text.hot), and with inline-only outlines once more, now that the
 * helpers inlined into the path are the path's code.
 */
#include "gcc-plugin.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "basic-block.h"
#include "cfg.h"
#include "dominance.h"
#include "tree-ssa-alias.h"
#include "internal-fn.h"
#include "gimple-expr.h"
#include "gimple.h"
#include "gimple-iterator.h"
#include "tree-cfg.h"
#include "cgraph.h"
#include "stringpool.h"
#include "attribs.h"
#include "predict.h"
#include "olayout.h"

namespace {

/* What the training run says about a block. */
enum training { T_UNKNOWN, T_NEVER, T_RAN };

/* What training says about one source location: T_RAN with its count, or
   T_NEVER (a cold-line, named in why), or T_UNKNOWN. */
enum training location_training(location_t loc, uint64_t *count, char *why, size_t len)
{
	const struct ol_profile *profile = ol_cfg.profile;
	expanded_location xl = expand_location(loc);
	if (loc == UNKNOWN_LOCATION || !xl.file || xl.line <= 0)
		return T_UNKNOWN;
	if (ol_profile_line_count(profile, xl.file, (unsigned long)xl.line, count) && *count)
		return T_RAN;
	if (!ol_profile_is_cold_line(profile, xl.file, (unsigned long)xl.line))
		return T_UNKNOWN;
	snprintf(why, len, "%s:%d never ran (cold-line)", xl.file, xl.line);
	return T_NEVER;
}

/* The line in this function a statement stands for: its own, or for a
   statement GCC inlined from another function, the call's (an inline
   function's own lines count every caller's runs). */
location_t call_site_location(gimple *stmt)
{
	location_t loc = UNKNOWN_LOCATION;
	for (tree b = gimple_block(stmt); b && TREE_CODE(b) == BLOCK; b = BLOCK_SUPERCONTEXT(b))
		if (inlined_function_outer_scope_p(b))
			loc = BLOCK_SOURCE_LOCATION(b);
	return loc;
}

/* Whether stmt is a hint, no code: a clobber ends a variable's life, a
   predict statement marks an early return. It still says where a branch
   is: when its line never ran (`return -ENOBUFS;`), neither did the
   branch. But its line's count may be other code's: a return's line
   holds the trained build's epilogue (ip_push's `return err;` in the
   fragment loop made its never-run error block look ran). */
bool is_hint(gimple *stmt)
{
	return gimple_clobber_p(stmt) || gimple_code(stmt) == GIMPLE_PREDICT;
}

/* What training says about bb: it ran (count: the most any of its
   statements ran, a statement counting at most as often as its own line
   and its call site in this function), it never ran (a cold-line; why
   says which), or nothing. A ran statement outweighs a cold one: GCC
   merges lines; a hint only says never. */
enum training block_training(basic_block bb, uint64_t *count, char *why, size_t len)
{
	enum training t = T_UNKNOWN;
	*count = 0;
	if (!ol_cfg.profile)
		return t;
	for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
		gimple *stmt = gsi_stmt(gsi);
		/* A debug statement marks where a line starts, not code: -g
		   must not change the code. */
		if (is_gimple_debug(stmt))
			continue;
		uint64_t own, site;
		char site_why[256];
		enum training o = location_training(gimple_location(stmt), &own, why, len);
		if (o != T_NEVER && ol_copy_never_ran(stmt, why, len)) /* copies.cc */
			o = T_NEVER;
		enum training c = location_training(call_site_location(stmt), &site, site_why,
						    sizeof site_why);
		if (o == T_NEVER || c == T_NEVER) {
			if (t == T_UNKNOWN && o != T_NEVER)
				snprintf(why, len, "%s", site_why);
			if (t == T_UNKNOWN)
				t = T_NEVER;
		} else if (o == T_RAN && !is_hint(stmt)) {
			t = T_RAN;
			*count = MAX(*count, c == T_RAN ? MIN(own, site) : own);
		}
	}
	return t;
}

/* Which guess makes bb a cold seed (written into why), or false: a call
   of a noreturn or cold function or of a cold-function of the profile. */
bool guessed_seed(basic_block bb, char *why, size_t len)
{
	for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
		gimple *stmt = gsi_stmt(gsi);
		if (!is_gimple_call(stmt) || gimple_call_internal_p(stmt))
			continue; /* internal calls (setjmp's dispatcher...) are no error path */
		tree fndecl = gimple_call_fndecl(stmt);
		if (fndecl && fndecl_built_in_p(fndecl, BUILT_IN_UNREACHABLE))
			continue; /* no code: nothing to move */
		const char *callee = fndecl ? ol_fn_name(fndecl) : "an indirect target";
		if (gimple_call_flags(stmt) & ECF_NORETURN) {
			snprintf(why, len, "calls noreturn %s", callee);
			return true;
		}
		if (fndecl && lookup_attribute("cold", DECL_ATTRIBUTES(fndecl))) {
			snprintf(why, len, "calls cold %s", callee);
			return true;
		}
		if (fndecl && ol_cold_function(fndecl, false)) {
			snprintf(why, len, "calls %s (cold-function)", callee);
			return true;
		}
	}
	return false;
}

/* The function that never ran in training which bb calls (the profile's
   cold-function, whose own lines never ran either), or NULL. Training,
   not a guess: a call does not end its block, so a block that ran called
   it, and the function's count would not be zero. A line count of the
   block that says otherwise is other code's: the trained build gave the
   line's code to it (a test on the same line, `pct && frameq_rand(q)`,
   `if (sacked) tcp_sack_input(...)`, msg_break's call in ip_push's
   fragment loop). It holds for a training build that did not inline
   across files (the bundled profiles, an -O2 build without LTO): such a
   callee's body is out of this unit's sight and its lines unchecked. */
const char *calls_unrun(basic_block bb)
{
	for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
		gimple *stmt = gsi_stmt(gsi);
		tree fndecl = is_gimple_call(stmt) ? gimple_call_fndecl(stmt) : NULL_TREE;
		if (fndecl && ol_cold_function(fndecl, false))
			return ol_fn_name(fndecl);
	}
	return NULL;
}

/* The expected value of t when it comes from __builtin_expect (through
   conversions), or NULL_TREE. */
tree expected_value(tree t)
{
	for (int hops = 0; hops < 4 && TREE_CODE(t) == SSA_NAME; hops++) {
		gimple *def = SSA_NAME_DEF_STMT(t);
		if (is_gimple_assign(def) && CONVERT_EXPR_CODE_P(gimple_assign_rhs_code(def))) {
			t = gimple_assign_rhs1(def);
			continue;
		}
		if (is_gimple_call(def) && gimple_call_num_args(def) >= 2 &&
		    (gimple_call_builtin_p(def, BUILT_IN_EXPECT) ||
		     gimple_call_internal_p(def, IFN_BUILTIN_EXPECT))) {
			tree expected = gimple_call_arg(def, 1);
			return TREE_CODE(expected) == INTEGER_CST ? expected : NULL_TREE;
		}
		return NULL_TREE;
	}
	return NULL_TREE;
}

/* The block bb's __builtin_expect condition says is unlikely, or NULL when
   bb ends otherwise or the block is also reached from elsewhere. */
basic_block expect_cold_block(basic_block bb)
{
	gcond *cond = safe_dyn_cast<gcond *>(last_stmt(bb));
	if (!cond)
		return NULL;
	enum tree_code code = gimple_cond_code(cond);
	tree rhs = gimple_cond_rhs(cond);
	if ((code != EQ_EXPR && code != NE_EXPR) || TREE_CODE(rhs) != INTEGER_CST)
		return NULL;
	tree expected = expected_value(gimple_cond_lhs(cond));
	if (!expected)
		return NULL;
	bool equal = wi::to_widest(expected) == wi::to_widest(rhs);
	bool taken_if_expected = (code == EQ_EXPR) == equal;
	int cold_flag = taken_if_expected ? EDGE_FALSE_VALUE : EDGE_TRUE_VALUE;
	edge e;
	edge_iterator ei;
	FOR_EACH_EDGE(e, ei, bb->succs)
		if ((e->flags & cold_flag) && single_pred_p(e->dest) &&
		    e->dest != EXIT_BLOCK_PTR_FOR_FN(cfun))
			return e->dest;
	return NULL;
}

/* Whether e is to go never: it enters a block of cold (when given), or
   it is never_edge. */
bool goes_never(edge e, const_sbitmap cold, edge never_edge)
{
	return e == never_edge || (cold && e->dest->index >= 0 && bitmap_bit_p(cold, e->dest->index));
}

/* Edges from bb into cold blocks (and never_edge) get probability never;
   the others are scaled to sum to always again. */
void rebalance_edges(basic_block bb, const_sbitmap cold, edge never_edge)
{
	profile_probability hot_sum = profile_probability::never();
	int n_hot = 0, n_cold = 0;
	edge e;
	edge_iterator ei;
	FOR_EACH_EDGE(e, ei, bb->succs) {
		if (goes_never(e, cold, never_edge)) {
			n_cold++;
		} else {
			n_hot++;
			hot_sum += e->probability;
		}
	}
	if (n_cold == 0)
		return;
	bool scale = hot_sum.initialized_p() && hot_sum > profile_probability::never();
	FOR_EACH_EDGE(e, ei, bb->succs) {
		if (goes_never(e, cold, never_edge))
			e->probability = profile_probability::never();
		else if (n_hot == 1)
			e->probability = profile_probability::always();
		else if (scale)
			e->probability = e->probability / hot_sum;
		else
			e->probability = profile_probability::always().apply_scale(1, n_hot);
	}
}

/* Why GCC's bbpart will not split fun, or NULL. */
const char *no_partition_reason(function *fun)
{
	tree decl = fun->decl;
	if (!opt_for_fn(decl, flag_reorder_blocks_and_partition))
		return "-freorder-blocks-and-partition is off";
	if (DECL_COMDAT(decl))
		return "it is comdat";
	if (lookup_attribute("section", DECL_ATTRIBUTES(decl)))
		return "it has a section attribute";
	if (lookup_attribute("naked", DECL_ATTRIBUTES(decl)))
		return "it is naked";
	if (optimize_function_for_size_p(fun))
		return "it is optimised for size";
	return NULL;
}

/* Dominators (and, when asked, post-dominators) of fun for the time one
   function is outlined: its helpers only change counts, never the CFG,
   so one computation serves them all; what the pass found computed stays. */
class dom_scope {
public:
	dom_scope(function *f, bool post) : fun(f)
	{
		had[0] = dom_info_available_p(fun, CDI_DOMINATORS);
		had[1] = !post || dom_info_available_p(fun, CDI_POST_DOMINATORS);
		calculate_dominance_info(CDI_DOMINATORS);
		if (post)
			calculate_dominance_info(CDI_POST_DOMINATORS);
	}
	~dom_scope()
	{
		if (!had[0])
			free_dominance_info(fun, CDI_DOMINATORS);
		if (!had[1])
			free_dominance_info(fun, CDI_POST_DOMINATORS);
	}

private:
	function *fun;
	bool had[2];
};

/* Gives the seeds' dominator subtrees, less the blocks that ran in
   training, the count cold (zero: GCC's bbpart moves them); returns the
   blocks marked. */
int mark_cold(function *fun, const vec<basic_block> &seeds, const_sbitmap ran,
	      profile_count cold_count, bool outline)
{
	auto_sbitmap cold(last_basic_block_for_fn(fun));
	bitmap_clear(cold);
	basic_block body = single_succ(ENTRY_BLOCK_PTR_FOR_FN(fun));
	for (basic_block seed : seeds) {
		if (seed == body) {
			ol_note("%s: block %d dominates the whole body: not a seed",
				ol_fn_name(fun->decl), seed->index);
			continue;
		}
		auto_vec<basic_block> region = get_all_dominated_blocks(CDI_DOMINATORS, seed);
		for (basic_block b : region)
			if (!bitmap_bit_p(ran, b->index))
				bitmap_set_bit(cold, b->index);
	}

	int marked = 0;
	basic_block bb;
	FOR_EACH_BB_FN(bb, fun) {
		if (bitmap_bit_p(cold, bb->index)) {
			bb->count = cold_count;
			marked++;
		} else if (outline) {
			rebalance_edges(bb, cold, NULL); /* not outlined: GCC's edge guesses stay */
		}
	}
	return marked;
}

const pass_data outline_pass_data = {
	GIMPLE_PASS, "olayout_outline", OPTGROUP_NONE, TV_NONE, PROP_cfg | PROP_ssa, 0, 0, 0, 0,
};

const pass_data outline_late_pass_data = {
	GIMPLE_PASS, "olayout_outline_late", OPTGROUP_NONE, TV_NONE, PROP_cfg | PROP_ssa, 0, 0, 0, 0,
};

/* late: the pass after IPA inlining, on the bodies that hold a path. */
class outline_pass : public gimple_opt_pass {
public:
	outline_pass(gcc::context *ctxt, bool late)
		: gimple_opt_pass(late ? outline_late_pass_data : outline_pass_data, ctxt),
		  late(late)
	{
	}
	bool gate(function *) final override { return optimize > 0; }
	unsigned int execute(function *fun) final override;

private:
	bool late;
};

/* The most any statement of bb ran by its own line, not capped by its
   call site: the line of a helper inlined here counts all its runs (a
   loop in it runs more often than the call). */
uint64_t own_ran(basic_block bb)
{
	uint64_t most = 0;
	for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
		uint64_t c;
		char w[16];
		if (!is_gimple_debug(gsi_stmt(gsi)) && !is_hint(gsi_stmt(gsi)) &&
		    location_training(gimple_location(gsi_stmt(gsi)), &c, w, sizeof w) == T_RAN)
			most = MAX(most, c);
	}
	return most;
}

/* The most any block of fndecl's body (when this unit has it) ran in
   training: a static function GCC inlined in the trained build has no
   function entry in the profile, only its lines. */
uint64_t body_ran(tree fndecl)
{
	function *f = DECL_STRUCT_FUNCTION(fndecl);
	uint64_t most = 0;
	basic_block b;
	if (!f || !f->cfg)
		return 0;
	FOR_EACH_BB_FN(b, f)
		most = MAX(most, own_ran(b));
	return most;
}

/* A block reached from bb whose line ran at least limit times, or NULL. */
basic_block reaches_hot(basic_block bb, uint64_t limit)
{
	auto_sbitmap seen(last_basic_block_for_fn(cfun));
	bitmap_clear(seen);
	auto_vec<basic_block> work;
	work.safe_push(bb);
	bitmap_set_bit(seen, bb->index);
	while (!work.is_empty()) {
		basic_block b = work.pop();
		if (b != bb && own_ran(b) >= limit)
			return b;
		edge e;
		edge_iterator ei;
		FOR_EACH_EDGE(e, ei, b->succs)
			if (e->dest->index >= NUM_FIXED_BLOCKS && !bitmap_bit_p(seen, e->dest->index)) {
				bitmap_set_bit(seen, e->dest->index);
				work.safe_push(e->dest);
			}
	}
	return NULL;
}

/* Whether bb, which ran fewer than limit times in training, may be a
   cold-runs seed (else why says why not): not when it calls a function
   that ran at least limit instructions of its own or has a block that ran
   at least limit times (with its call sites cold GCC would optimise that
   function for size and not inline it: zlib's slide_hash), nor when it
   dominates a block whose line ran at least limit times (a loop whose
   line-less latch would go cold with the seed, or a loop inlined from a
   helper), nor when it ran at least half as often as the nearest block
   above it (a dominator) with a count and leads to a block whose line ran
   at least limit times: then it is the way on to hot code, not a branch's
   rare side (xz's lzma_lzma_optimum_normal: the price update ran 3770
   times of the 3943 that went past its early return, before the encoder
   loop; outlined, GCC took the loop for never run and sent it to .cold).
   After the hot code (crc32_z's tail) the way on may go. */
bool rare_seed(basic_block bb, uint64_t count, uint64_t limit, char *why, size_t len)
{
	for (basic_block d = get_immediate_dominator(CDI_DOMINATORS, bb);
	     d && d->index >= NUM_FIXED_BLOCKS; d = get_immediate_dominator(CDI_DOMINATORS, d)) {
		uint64_t above;
		if (block_training(d, &above, why, len) != T_RAN)
			continue;
		basic_block hot = 2 * count >= above ? reaches_hot(bb, limit) : NULL;
		if (hot) {
			snprintf(why, len, "block %d above it ran %llu times and it leads to block "
				 "%d: it is the way on", d->index, (unsigned long long)above,
				 hot->index);
			return false;
		}
		break;
	}
	for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
		gimple *stmt = gsi_stmt(gsi);
		tree fndecl = is_gimple_call(stmt) ? gimple_call_fndecl(stmt) : NULL_TREE;
		if (!fndecl)
			continue;
		const struct ol_profile_function *f =
			ol_profile_find_function(ol_cfg.profile, ol_fn_name(fndecl));
		uint64_t most = body_ran(fndecl);
		if ((f && f->insns >= limit) || most >= limit) {
			snprintf(why, len, "calls %s, which ran %llu instructions (a block %llu times)",
				 ol_fn_name(fndecl), (unsigned long long)(f ? f->insns : 0),
				 (unsigned long long)most);
			return false;
		}
	}
	auto_vec<basic_block> region = get_all_dominated_blocks(CDI_DOMINATORS, bb);
	for (basic_block b : region) {
		uint64_t c = own_ran(b);
		if (c >= limit) {
			snprintf(why, len, "dominates block %d, whose line ran %llu times", b->index,
				 (unsigned long long)c);
			return false;
		}
	}
	return true;
}

/* The count below which a block of fun is rare (cold-runs, cold-ppm):
   0 when no block of fun ran that often. Rare is against the function's
   hot code: in a function that only ever runs a few times (start-up,
   teardown) every block is rare, and outlined its code that runs lands
   in .cold among code that never runs, so each process touches more
   cache lines (xz: main, coder_run, stream_decode_mt ran 0.5 K to 11 K
   instructions; with cold-runs=4096 their once-per-process blocks were
   outlined and modern missed about 700 times more than BOLT's). And a
   helper inlined into hot code (xz's rc_read_init, 162 calls, its loop
   500 runs): with its loop header a seed above its returns it never
   returned, and once inlined into lzma_decode GCC counted the whole
   decoder zero, unlikely executed, compiled for size. */
uint64_t rare_limit(function *fun)
{
	if (!ol_cfg.rare_below || body_ran(fun->decl) >= ol_cfg.rare_below)
		return ol_cfg.rare_below;
	ol_note("%s: no block ran %llu times: its rare blocks stay in line", ol_fn_name(fun->decl),
		(unsigned long long)ol_cfg.rare_below);
	return 0;
}

/* Collects the cold seeds of fun and the blocks that ran (with their
   counts); says which rule made each seed, and which guesses training
   overruled. */
void find_seeds(function *fun, vec<basic_block> *seeds, sbitmap ran, vec<uint64_t> *counts,
		uint64_t calls, bool outline)
{
	const char *name = ol_fn_name(fun->decl);
	/* a profile without a run count is taken as one run */
	uint64_t runs = ol_cfg.profile && ol_cfg.profile->training ? ol_cfg.profile->training : 1;
	uint64_t rare = rare_limit(fun);
	char why[512];
	basic_block bb;
	FOR_EACH_BB_FN(bb, fun) {
		uint64_t c;
		enum training t = block_training(bb, &c, why, sizeof why);
		const char *unrun = t == T_RAN ? calls_unrun(bb) : NULL;
		if (unrun) {
			snprintf(why, sizeof why, "it calls %s, which never ran in training "
				 "(cold-function), although its line ran %llu times (that "
				 "count is other code's)", unrun, (unsigned long long)c);
			t = T_NEVER;
			c = 0;
		}
		(*counts)[bb->index] = c;
		if (t == T_RAN)
			bitmap_set_bit(ran, bb->index);
		if (t == T_NEVER) {
			ol_note("%s: block %d is a cold seed: %s", name, bb->index, why);
			seeds->safe_push(bb);
		} else if (t == T_RAN && ol_cfg.cold_ratio > 0 && calls &&
			   (double)c < ol_cfg.cold_ratio * (double)calls) {
			ol_note("%s: block %d is a cold seed: it ran %llu times in %llu entries "
				"(cold-ratio %g)", name, bb->index, (unsigned long long)c,
				(unsigned long long)calls, ol_cfg.cold_ratio);
			bitmap_clear_bit(ran, bb->index);
			seeds->safe_push(bb);
		} else if (t == T_RAN && c < rare) {
			if (!rare_seed(bb, c, rare, why, sizeof why)) {
				ol_note("%s: block %d ran %llu times in %llu training runs, but %s: "
					"not a seed", name, bb->index, (unsigned long long)c,
					(unsigned long long)runs, why);
			} else {
				char rule[96];
				if (ol_cfg.cold_ppm > 0)
					snprintf(rule, sizeof rule, "cold-ppm %g: below %llu",
						 ol_cfg.cold_ppm, (unsigned long long)ol_cfg.rare_below);
				else
					snprintf(rule, sizeof rule, "cold-runs %d", ol_cfg.cold_runs);
				ol_note("%s: block %d is a cold seed: it ran %llu times in %llu "
					"training runs (%s)", name, bb->index, (unsigned long long)c,
					(unsigned long long)runs, rule);
				bitmap_clear_bit(ran, bb->index);
				seeds->safe_push(bb);
			}
		} else if (outline && guessed_seed(bb, why, sizeof why)) {
			if (t == T_RAN) {
				ol_note("%s: block %d ran %llu times in training: not cold although it %s",
					name, bb->index, (unsigned long long)c, why);
			} else {
				ol_note("%s: block %d is a cold seed: it %s (no training count)", name,
					bb->index, why);
				seeds->safe_push(bb);
			}
		}
		basic_block unlikely = outline ? expect_cold_block(bb) : NULL;
		if (unlikely) {
			uint64_t uc;
			if (block_training(unlikely, &uc, why, sizeof why) == T_RAN) {
				ol_note("%s: block %d ran %llu times in training: not cold although "
					"__builtin_expect says unlikely", name, unlikely->index,
					(unsigned long long)uc);
			} else {
				ol_note("%s: block %d is a cold seed: unexpected side of __builtin_expect",
					name, unlikely->index);
				seeds->safe_push(unlikely);
			}
		}
	}
}

/* Whether every way into bb is one of the exits in untaken. */
bool only_untaken_entries(basic_block bb, const vec<edge> &untaken)
{
	edge e;
	edge_iterator ei;
	FOR_EACH_EDGE(e, ei, bb->preds)
		if (!untaken.contains(e))
			return false;
	return EDGE_COUNT(bb->preds) > 0;
}

/* A statement of region (fun's own, not inlined) whose line ran in
   training although no code of fun outside region is on that line, or
   NULL: then region ran, whatever a branch entry says (the training
   build's jump was another: next_segment's `if (tcp_seq_lt(seq,
   win_end))` ran its assignment on every call, branch-free). */
gimple *line_only_in(function *fun, const_sbitmap region)
{
	hash_set<int_hash<int, 0, -1>> outside;
	basic_block bb;
	FOR_EACH_BB_FN(bb, fun)
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi))
			if (!bitmap_bit_p(region, bb->index) && !is_gimple_debug(gsi_stmt(gsi)))
				outside.add(LOCATION_LINE(gimple_location(gsi_stmt(gsi))));
	FOR_EACH_BB_FN(bb, fun) {
		if (!bitmap_bit_p(region, bb->index))
			continue;
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gimple *stmt = gsi_stmt(gsi);
			uint64_t c;
			char w[16];
			if (!is_gimple_debug(stmt) && !is_hint(stmt) &&
			    call_site_location(stmt) == UNKNOWN_LOCATION &&
			    location_training(gimple_location(stmt), &c, w, sizeof w) == T_RAN &&
			    !outside.contains(LOCATION_LINE(gimple_location(stmt))))
				return stmt;
		}
	}
	return NULL;
}

/* A seed by its own lines (a cold-line: none of its code ran) that the
   branch entries confirm, e, the only way into it, never taken although
   its branch ran: two records of the training build agree that d never
   ran, so nothing it dominates ran either, whatever their lines' counts
   say (tcpip's encode_options: its SACK loop's line 104 ran once by the
   -O1 build's line table, although the `if (h->nsack)` above it, whose
   lines 102-103 never ran, never took the way in; kept, the loop's 36
   instructions stayed in tcp_send's hot body). They leave ran, so the
   seed stays one (drop_contradicted_seeds drops a seed above a block
   that ran). */
void confirm_seed(function *fun, basic_block d, edge e, const vec<basic_block> &below, sbitmap ran,
		  vec<uint64_t> *counts)
{
	uint64_t c;
	char why[512];
	if (block_training(d, &c, why, sizeof why) != T_NEVER)
		return; /* a guess or a rare block: no record says it never ran */
	int overruled = 0;
	for (basic_block b : below) {
		overruled += bitmap_bit_p(ran, b->index);
		bitmap_clear_bit(ran, b->index);
		(*counts)[b->index] = 0;
	}
	expanded_location xl = expand_location(gimple_location(last_stmt(e->src)));
	ol_note("%s: block %d (a cold seed: %s) is confirmed: training never took the way into "
		"it from block %d (branch counts at %s:%d); %d blocks it dominates never ran "
		"either, although their lines ran", ol_fn_name(fun->decl), d->index, why,
		e->src->index, xl.file ? xl.file : "?", xl.line, overruled);
}

/* Branch seeds: a block whose every way in is a direction training never
   took of a branch that ran (the profile's branch entries, version 5)
   never ran, even where its line ran: that count is other code's on the
   line (`if (!m) return -ENOMEM;` on one line, a test of an && chain).
   Nothing it dominates runs without it, so their lines' counts are other
   code's too: they leave ran. Line counts cannot see these (tcpip's send
   path: 98 of its 144 never-run instructions were on lines that ran). */
void branch_seeds(function *fun, vec<basic_block> *seeds, sbitmap ran, vec<uint64_t> *counts)
{
	auto_vec<edge> untaken;
	ol_untaken_exits(fun, &untaken);
	for (edge e : untaken) {
		basic_block d = e->dest;
		if (d->index < NUM_FIXED_BLOCKS || !only_untaken_entries(d, untaken))
			continue;
		auto_vec<basic_block> below = get_all_dominated_blocks(CDI_DOMINATORS, d);
		if (seeds->contains(d)) {
			confirm_seed(fun, d, e, below, ran, counts);
			continue;
		}
		auto_sbitmap region(last_basic_block_for_fn(fun));
		bitmap_clear(region);
		for (basic_block b : below)
			bitmap_set_bit(region, b->index);
		expanded_location xl = expand_location(gimple_location(last_stmt(e->src)));
		if (gimple *own = line_only_in(fun, region)) {
			ol_note("%s: block %d: training never took the way into it from block %d "
				"(branch counts at %s:%d), but line %d, which ran, is its code "
				"alone: not a seed", ol_fn_name(fun->decl), d->index, e->src->index,
				xl.file ? xl.file : "?", xl.line, LOCATION_LINE(gimple_location(own)));
			continue;
		}
		ol_note("%s: block %d is a cold seed: training never took the way into it from "
			"block %d (branch counts at %s:%d)%s", ol_fn_name(fun->decl), d->index,
			e->src->index, xl.file ? xl.file : "?", xl.line,
			bitmap_bit_p(ran, d->index) ? ", although its line ran" : "");
		seeds->safe_push(d);
		for (basic_block b : below) {
			bitmap_clear_bit(ran, b->index);
			(*counts)[b->index] = 0;
		}
	}
}

/* Why e never ran in training (written into why), or false: a PHI
   argument on it comes from a line that never ran (a cold-line), or with
   cold-ratio or cold-runs from one that ran rarely, and no argument on it
   from a line that ran more. Rarely is not never when the line ran at
   least half as often as e's block (from: its training count, 0 when
   unknown): then e is that block's way on, however rare the block (xz's
   lzma_decode: the state switch, 162 runs, and every case edge's line
   with it; made never, the decoder loop was left without a way in, and
   after inlining GCC counted the whole function zero and compiled it
   for size). */
bool edge_never_ran(edge e, uint64_t calls, uint64_t runs, uint64_t from, char *why, size_t len)
{
	bool never = false;
	for (gphi_iterator gsi = gsi_start_phis(e->dest); !gsi_end_p(gsi); gsi_next(&gsi)) {
		gphi *phi = gsi.phi();
		if (virtual_operand_p(gimple_phi_result(phi)))
			continue; /* memory's PHI: no code, no line of its own */
		uint64_t c;
		char w[512];
		switch (location_training(gimple_phi_arg_location_from_edge(phi, e), &c, w, sizeof w)) {
		case T_NEVER:
			snprintf(why, len, "%s", w);
			never = true;
			break;
		case T_RAN:
			if (((ol_cfg.cold_ratio > 0 && calls &&
			      (double)c < ol_cfg.cold_ratio * (double)calls) ||
			     c < ol_cfg.rare_below) && !(from && 2 * c >= from)) {
				snprintf(why, len, "its line ran %llu times in %llu entries, %llu training runs "
					 "(cold-ratio %g; cold-runs, cold-ppm: rare below %llu)",
					 (unsigned long long)c, (unsigned long long)calls,
					 (unsigned long long)runs, ol_cfg.cold_ratio,
					 (unsigned long long)ol_cfg.rare_below);
				never = true;
				break;
			}
			return false;
		case T_UNKNOWN:
			break;
		}
	}
	return never;
}

/* Whether e is the last way out of its block that is not never. */
bool last_way_out(edge e)
{
	edge o;
	edge_iterator ei;
	FOR_EACH_EDGE(o, ei, e->src->succs)
		if (o != e && !(o->probability == profile_probability::never()))
			return false;
	return true;
}

/* Error returns: a value assigned in a branch that never ran (`err =
   -EPIPE;` when the caller only tests what comes back) is, by the time
   this pass runs, no block but a PHI argument on the edge into the join
   that tests or returns it: no seed can hold it. The edge gets
   probability never (its siblings scaled up), so that the copies GCC's
   jump threading makes of the join for a known error value (tcp_sess_push:
   msg_free and the return, twice) get count zero and go to .cold. Never
   the last way out of a block: that is the block's to be cold or not (a
   forwarder's lone edge made never took eth_push's padding branch, which
   ran, to .cold). Returns how many edges. */
int cold_phi_edges(function *fun, const_sbitmap ran, const vec<uint64_t> &counts, uint64_t calls,
		   uint64_t runs)
{
	int n = 0;
	basic_block bb;
	FOR_EACH_BB_FN(bb, fun) {
		edge e;
		edge_iterator ei;
		FOR_EACH_EDGE(e, ei, bb->preds) {
			char why[512];
			if (e->src->index < NUM_FIXED_BLOCKS || e->probability == profile_probability::never() ||
			    !edge_never_ran(e, calls, runs, counts[e->src->index], why, sizeof why))
				continue;
			/* the only way out of a block is as cold as the block:
			   never on it alone would make GCC take the block, and
			   the blocks that only lead to it, for unlikely */
			if (last_way_out(e)) {
				if (bitmap_bit_p(ran, e->src->index))
					ol_note("%s: edge %d->%d is the last way out of block %d, which ran: "
						"ran too, although %s", ol_fn_name(fun->decl),
						e->src->index, bb->index, e->src->index, why);
				continue;
			}
			ol_note("%s: edge %d->%d never ran (error return): %s", ol_fn_name(fun->decl),
				e->src->index, bb->index, why);
			rebalance_edges(e->src, NULL, e);
			n++;
		}
	}
	return n;
}

/* c, or when it rounded to zero the smallest count above zero in entry's
   quality: GCC moves a block whose count is zero (GCC's guessed entry
   counts are small, ~10^4). */
profile_count at_least_one(profile_count c, profile_count entry)
{
	if (c.nonzero_p() || !entry.nonzero_p())
		return c;
	return entry.apply_scale(1, entry.to_gcov_type());
}

/* Drops the seeds that dominate or post-dominate a block that ran: no way
   into that block, or no way out of it, misses them, so they ran too
   (their line's code belongs to another line in the trained build: a
   closing brace, whose block is the return's join; a test folded into the
   one before it). Kept, they would cut the way through: a closing brace
   cut the function's return, and the callers' code after an inlined copy
   got count zero and went to .cold (tcp_maybe_free's line 86 took
   tcp_pop's tail there); a folded test sent the ran block after it there
   (msg_pool_get's line 89, gawk's format_tree loops). They join ran. */
void drop_contradicted_seeds(function *fun, vec<basic_block> *seeds, sbitmap ran, bool copies_only)
{
	if (seeds->is_empty())
		return;
	unsigned i = 0;
	while (i < seeds->length()) {
		basic_block seed = (*seeds)[i], b, hot = NULL;
		if (copies_only && !ol_copy_seed(seed)) {
			i++;
			continue;
		}
		FOR_EACH_BB_FN(b, fun)
			if (bitmap_bit_p(ran, b->index) &&
			    (dominated_by_p(CDI_POST_DOMINATORS, b, seed) ||
			     dominated_by_p(CDI_DOMINATORS, b, seed))) {
				hot = b;
				break;
			}
		if (!hot) {
			i++;
			continue;
		}
		ol_note("%s: block %d is on every way into or out of block %d, which ran: not a seed",
			ol_fn_name(fun->decl), seed->index, hot->index);
		bitmap_set_bit(ran, seed->index);
		seeds->unordered_remove(i);
	}
}

/* Adds to ran the blocks between blocks that ran: reached from one and
   reaching one without crossing a seed. Training says they ran too (a
   join or a latch without a line, the fall-through after a call GCC
   guessed cold); left to a seed's region or to GCC's guess, they would
   put .cold between hot blocks. */
void add_between(function *fun, sbitmap ran, const_sbitmap seed)
{
	int n = last_basic_block_for_fn(fun);
	auto_sbitmap fwd(n), bwd(n);
	sbitmap reach[2] = {fwd, bwd};
	for (int dir = 0; dir < 2; dir++) {
		auto_vec<basic_block> work;
		basic_block bb;
		bitmap_copy(reach[dir], ran);
		FOR_EACH_BB_FN(bb, fun)
			if (bitmap_bit_p(ran, bb->index))
				work.safe_push(bb);
		while (!work.is_empty()) {
			bb = work.pop();
			edge e;
			edge_iterator ei;
			FOR_EACH_EDGE(e, ei, dir ? bb->preds : bb->succs) {
				basic_block o = dir ? e->src : e->dest;
				if (o->index < NUM_FIXED_BLOCKS || bitmap_bit_p(seed, o->index) ||
				    bitmap_bit_p(reach[dir], o->index))
					continue;
				bitmap_set_bit(reach[dir], o->index);
				work.safe_push(o);
			}
		}
	}
	bitmap_and(reach[0], reach[0], reach[1]);
	bitmap_ior(ran, ran, reach[0]);
}

/* Whether e leads to a block that ran, with probability never. */
bool never_into_ran(edge e, const_sbitmap ran)
{
	return e->dest->index >= NUM_FIXED_BLOCKS && bitmap_bit_p(ran, e->dest->index) &&
	       e->probability == profile_probability::never();
}

/* Training overrules GCC's guess that a block that ran never runs (a call
   of a cold function: GCC's unlikely blocks get count zero and their
   edges probability never, and inlined copies keep both, so bbpart sends
   them to .cold). Such a block gets its training count per entry of fun
   (or the entry's count), and a never edge into it an even share. */
void revive_ran(function *fun, const_sbitmap ran, const vec<uint64_t> &counts, uint64_t calls)
{
	profile_count entry = ENTRY_BLOCK_PTR_FOR_FN(fun)->count;
	basic_block bb;
	FOR_EACH_BB_FN(bb, fun) {
		if (bitmap_bit_p(ran, bb->index) && !bb->count.nonzero_p()) {
			uint64_t c = counts[bb->index];
			bb->count = at_least_one(calls && c ? entry.apply_scale((int64_t)c, (int64_t)calls)
						     : entry, entry);
		}
		int n = EDGE_COUNT(bb->succs), never = 0;
		edge e;
		edge_iterator ei;
		FOR_EACH_EDGE(e, ei, bb->succs)
			never += never_into_ran(e, ran);
		if (!never)
			continue;
		FOR_EACH_EDGE(e, ei, bb->succs)
			if (never_into_ran(e, ran))
				e->probability = profile_probability::guessed_always().apply_scale(1, n);
			else
				e->probability = e->probability.apply_scale(n - never, n);
	}
}

/* After inlining: a block whose count is zero although blocks that run
   enter it gets the sum of its entries (in reverse postorder, so that it
   flows on), unless training says it never ran (a cold-line). GCC's jump
   threading leaves such blocks (its profile update, on the counts the
   passes here gave), joins without a line among them, and bbpart would
   send them and what follows them to .cold between blocks that run
   (new_ack's line 326 in tcp_pop).
   The only way out of a block that runs is taken whenever it runs: GCC
   makes it never when the block after it calls a function GCC took for
   unlikely executed (ICF merged the copies of static inline xk_open_done
   into eth.c's, whose caller never runs, so chan_demux's and
   rpc_peers_find's calls of it, which ran in training, went to .cold
   with their blocks). */
void revive_entered(function *fun)
{
	int *rpo = XNEWVEC(int, n_basic_blocks_for_fn(fun));
	int n = pre_and_rev_post_order_compute_fn(fun, NULL, rpo, false), revived = 0;
	for (int i = 0; i < n; i++) {
		basic_block bb = BASIC_BLOCK_FOR_FN(fun, rpo[i]);
		if (!bb->count.initialized_p() || bb->count.nonzero_p())
			continue;
		uint64_t c;
		char why[512];
		if (block_training(bb, &c, why, sizeof why) == T_NEVER)
			continue;
		profile_count in = profile_count::zero();
		edge e;
		edge_iterator ei;
		FOR_EACH_EDGE(e, ei, bb->preds) {
			if (single_succ_p(e->src) && e->src->count.nonzero_p() &&
			    e->probability == profile_probability::never())
				e->probability = profile_probability::always();
			in += e->count();
		}
		if (!in.nonzero_p())
			continue;
		bb->count = in;
		revived++;
	}
	free(rpo);
	if (revived)
		ol_note("%s: %d blocks entered from blocks that run had count zero: counted",
			ol_fn_name(fun->decl), revived);
}

/* Training counts overrule GCC's guessed ones in a path's functions: each
   block that ran gets the function's entry count scaled by its runs per
   entry (calls), so the path-inline pass sees how often a call site ran.
   Elsewhere GCC keeps its guesses (line counts summed over all callers
   mislead its inliner: the checksum loop stayed a call). */
void feed_counts(function *fun, const_sbitmap ran, const vec<uint64_t> &counts, uint64_t calls)
{
	profile_count entry = ENTRY_BLOCK_PTR_FOR_FN(fun)->count;
	basic_block bb;
	FOR_EACH_BB_FN(bb, fun)
		if (bitmap_bit_p(ran, bb->index))
			bb->count = at_least_one(
				entry.apply_scale((int64_t)counts[bb->index], (int64_t)calls), entry);
}

/* Whether the block tree from b on (b, its chain and their subblocks)
   holds an inlined copy of a path's function. */
bool holds_path_copy(tree b)
{
	for (; b; b = BLOCK_CHAIN(b)) {
		tree origin = inlined_function_outer_scope_p(b) ? block_ultimate_origin(b) : NULL;
		if (origin && TREE_CODE(origin) == FUNCTION_DECL && ol_on_path(ol_fn_name(origin)))
			return true;
		if (holds_path_copy(BLOCK_SUBBLOCKS(b)))
			return true;
	}
	return false;
}

/* Outlines fun's cold blocks; late: after IPA inlining (no counts fed). */
void outline_function(function *fun, bool late)
{
	const char *name = ol_fn_name(fun->decl);
	cgraph_node *node = cgraph_node::get(fun->decl);
	if (node && node->frequency == NODE_FREQUENCY_UNLIKELY_EXECUTED) {
		ol_note("%s: cold as a whole: no blocks to outline", name);
		return;
	}
	if (profile_status_for_fn(fun) == PROFILE_READ) {
		ol_note("%s: has a measured profile (-fprofile-use): left alone", name);
		return;
	}
	if (!ENTRY_BLOCK_PTR_FOR_FN(fun)->count.initialized_p()) {
		ol_note("%s: no estimated profile: skipped", name);
		return;
	}

	const struct ol_profile_function *trained =
		ol_cfg.profile ? ol_profile_find_function(ol_cfg.profile, name) : NULL;
	uint64_t calls = trained ? trained->calls : 0;
	auto_vec<basic_block> seeds;
	auto_sbitmap ran(last_basic_block_for_fn(fun));
	bitmap_clear(ran);
	auto_vec<uint64_t> counts;
	counts.safe_grow_cleared(last_basic_block_for_fn(fun));
	bool copies = late && ol_cfg.copies;
	dom_scope dom(fun, ol_cfg.outline || copies);
	/* inline-only outlines the path's functions and hot helpers: their
	   inlined copies. A helper's never-run blocks (and what GCC's early
	   inliner would put in them) would count in its copy's size, which
	   decides whether it is copied (max-growth). */
	bool outline = ol_cfg.outline || late || ol_on_path(name) || ol_path_helper(name, false);
	find_seeds(fun, &seeds, ran, &counts, calls, outline);
	/* Outlining everywhere only, as drop_contradicted_seeds: with
	   inline-only they cost tcpip PIN 34 instructions and 57 I1 misses
	   per round trip (5605.7 against 5571.7, 424 against 367) */
	if (ol_cfg.outline && ol_cfg.profile)
		branch_seeds(fun, &seeds, ran, &counts);
	/* Outlining everywhere (OUT, ALL) needs it: tcp_maybe_free's brace
	   took tcp_pop's tail to .cold. inline-only runs no instruction in
	   .cold without it (cold.t), and with it tcpip PIN ran 31 more
	   instructions per round trip (5596.7 against 5565.7: order.t's
	   0.88 x STD), 17 more with the error-return and never-run-call
	   rules (5588.7 against 5571.7, 2026-12-02): it keeps 30 seeds of
	   the paths' functions in line (tcp_pop 12, input_data 3, half_open
	   3...), while the link's path decisions stay the same. */
	if (ol_cfg.outline || copies)
		drop_contradicted_seeds(fun, &seeds, ran, !ol_cfg.outline);
	auto_sbitmap seed(last_basic_block_for_fn(fun));
	bitmap_clear(seed);
	for (basic_block b : seeds)
		bitmap_set_bit(seed, b->index);
	add_between(fun, ran, seed);
	if (calls && ol_on_path(name) && !late)
		feed_counts(fun, ran, counts, calls);
	revive_ran(fun, ran, counts, calls);
	/* an edge, unlike a seed, has no block to move: only outlining
	   changes its probability */
	uint64_t runs = ol_cfg.profile && ol_cfg.profile->training ? ol_cfg.profile->training : 1;
	if (outline && ol_cfg.profile)
		cold_phi_edges(fun, ran, counts, calls, runs);
	if (seeds.is_empty())
		return;
	/* Not outlined: never-run blocks get a tiny count, not zero, so that
	   GCC moves nothing but the path-inline pass skips their calls. */
	profile_count entry = ENTRY_BLOCK_PTR_FOR_FN(fun)->count;
	profile_count cold_count = outline ? profile_count::zero()
					   : at_least_one(profile_count::zero(), entry);
	int marked = mark_cold(fun, seeds, ran, cold_count, outline);
	const char *no_split = outline ? no_partition_reason(fun) : NULL;
	ol_note("%s: %d of %d blocks %s%s%s", name, marked, n_basic_blocks_for_fn(fun) - 2,
		outline ? "cold" : "never ran (kept in line: inline-only, not on a path)",
		no_split ? "; GCC will not split it: " : "", no_split ? no_split : "");
}

unsigned int outline_pass::execute(function *fun)
{
	if (!late) {
		outline_function(fun, false);
		return 0;
	}
	const char *name = ol_fn_name(fun->decl);
	cgraph_node *node = cgraph_node::get(fun->decl);
	bool on_path = ol_on_path(name) || holds_path_copy(DECL_INITIAL(fun->decl));
	/* What the paths call on every run and do not copy (library
	   functions; helpers also called elsewhere, or too big) runs as often
	   as their roots: hot too, next to them rather than wherever the
	   linker's order puts it among code that never runs. */
	if (!on_path && ol_path_helper(name, true) && node &&
	    node->frequency != NODE_FREQUENCY_UNLIKELY_EXECUTED) {
		ol_note("%s: a path's hot helper or library function: hot (.text.hot)", name);
		node->frequency = NODE_FREQUENCY_HOT;
	}
	if (!on_path)
		return 0;
	/* inline-only: the helpers inlined into a path (by the path-inline
	   pass or GCC) kept their never-run blocks in line; once inlined
	   they are the path's, and go out as its own never-run blocks do.
	   With outlining everywhere they were outlined before inlining. */
	if (!ol_cfg.outline) {
		ol_copies_note(fun);
		outline_function(fun, true);
	}
	/* The path's whole hot code is in its root: .text.hot keeps the
	   roots together, as GCC groups a profile's hot functions (the
	   linker's order otherwise lets them share i-cache sets). Only the
	   section changes: the IPA decisions are made. */
	if (ol_is_root(name) && node && node->frequency != NODE_FREQUENCY_UNLIKELY_EXECUTED) {
		ol_note("%s: a path's root: hot (.text.hot)", name);
		node->frequency = NODE_FREQUENCY_HOT;
	}
	return 0;
}

const pass_data revive_pass_data = {
	GIMPLE_PASS, "olayout_revive", OPTGROUP_NONE, TV_NONE, PROP_cfg, 0, 0, 0, 0,
};

/* The last GIMPLE pass: counts for the blocks GCC's passes left at zero
   between blocks that run, before bbpart reads them. */
class revive_pass : public gimple_opt_pass {
public:
	revive_pass(gcc::context *ctxt) : gimple_opt_pass(revive_pass_data, ctxt) {}
	bool gate(function *fun) final override
	{
		return optimize > 0 && profile_status_for_fn(fun) != PROFILE_READ;
	}
	unsigned int execute(function *fun) final override
	{
		revive_entered(fun);
		return 0;
	}
};

} // namespace

opt_pass *ol_make_revive_pass(gcc::context *ctxt)
{
	return new revive_pass(ctxt);
}

bool ol_block_count(basic_block bb, uint64_t *count)
{
	char why[512];
	enum training t = block_training(bb, count, why, sizeof why);
	if (t == T_NEVER)
		*count = 0;
	return t != T_UNKNOWN;
}

opt_pass *ol_make_outline_pass(gcc::context *ctxt, bool late)
{
	return new outline_pass(ctxt, late);
}
