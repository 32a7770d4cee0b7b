/*
 * fdo.cc - the fdo pass: GCC's branch probabilities from the training
 * counts of the profile's source lines (as AutoFDO does with samples), so
 * that GCC's own block ordering (bbro), hot/cold decisions and inliner
 * follow what ran instead of static guesses.
 *
 * A GIMPLE pass right after profile_estimate, before the outline pass. Per
 * function the profile has a `function` entry for: the entry block ran as
 * often as the function was entered; a block holding a statement from a
 * line that ran ran as often as its line (outline.cc's rule, which also
 * caps an inlined statement by its call site); a cold-line block never
 * ran. The flow rules then fill in what follows: an edge that is its
 * source's only exit or its destination's only entry has that block's
 * count, a block's missing edge is its count less the others, a block's
 * count is the sum of its known entries or exits. A branch whose exits all
 * got counts gets probabilities in their ratio (an exit that never ran
 * keeps a tiny one: moving never-run blocks is the outline pass's job);
 * other branches keep GCC's guesses. GCC then recomputes the block counts
 * from the probabilities (rebuild_frequencies); a block that did not have
 * count zero before gets at least the least count above it, so that this
 * pass moves nothing to .cold.
 *
 * The function's profile stays PROFILE_GUESSED, with counts local to it:
 * PROFILE_READ would make GCC read a run summary (profile_info) that only
 * -fprofile-use provides, and GCC's inliner compares guessed counts
 * through its own call-graph propagation, which now starts from trained
 * branch probabilities.
 *
 * A function that ran in training but none of whose lines has a count
 * means a profile of other sources (stale line numbers): one warning, and
 * the function keeps GCC's guesses.
 */
#include "gcc-plugin.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "basic-block.h"
#include "cfg.h"
#include "diagnostic-core.h"
#include "predict.h"
#include "sbitmap.h"
#include "olayout.h"

namespace {

/* Counts are kept below this so that sums and GCC's scaling stay exact. */
const uint64_t COUNT_CAP = (uint64_t)1 << 40;
const int64_t UNKNOWN = -1;

/* The counts the flow rules work on: per block index, and per edge (its
   aux holds its slot plus one while the pass runs). */
struct flow {
	auto_vec<int64_t> block;
	auto_vec<int64_t> edge;
};

int64_t &edge_count(struct flow *f, edge e)
{
	return f->edge[(intptr_t)e->aux - 1];
}

/* Sum of the known counts of edges; how many are unknown (the last one in
   *missing). */
int64_t known_sum(struct flow *f, vec<edge, va_gc> *edges, int *n_unknown, edge *missing)
{
	int64_t sum = 0;
	edge e;
	edge_iterator ei;
	*n_unknown = 0;
	FOR_EACH_EDGE(e, ei, edges) {
		if (edge_count(f, e) == UNKNOWN) {
			++*n_unknown;
			*missing = e;
		} else {
			sum += edge_count(f, e);
		}
	}
	return sum;
}

/* One round of the flow rules over the edges of bb on one side; whether
   a count became known. */
bool propagate_side(struct flow *f, basic_block bb, vec<edge, va_gc> *edges)
{
	int64_t &count = f->block[bb->index];
	int n_unknown;
	edge missing = NULL;
	int64_t sum = known_sum(f, edges, &n_unknown, &missing);
	if (count == UNKNOWN && n_unknown == 0 && EDGE_COUNT(edges) > 0) {
		count = sum;
		return true;
	}
	/* A remainder of zero or less says the line counts disagree (a line's
	   count is its hottest instruction's: a && chain on one line has one
	   count): the edge stays unknown. */
	if (count != UNKNOWN && n_unknown == 1 && count > sum) {
		edge_count(f, missing) = count - sum;
		return true;
	}
	return false;
}

void propagate(struct flow *f, function *fun)
{
	bool changed = true;
	for (int round = 0; changed && round < n_basic_blocks_for_fn(fun) + 2; round++) {
		changed = false;
		basic_block bb;
		FOR_ALL_BB_FN(bb, fun) {
			changed |= propagate_side(f, bb, bb->preds);
			changed |= propagate_side(f, bb, bb->succs);
		}
	}
}

/* A count from the profile, kept below COUNT_CAP. */
int64_t capped(uint64_t c)
{
	return (int64_t)MIN(c, COUNT_CAP);
}

/* Whether GCC may take new probabilities on bb's exits: a branch with
   plain edges only (no EH, abnormal or fake edge). */
bool plain_branch(basic_block bb)
{
	if (EDGE_COUNT(bb->succs) < 2)
		return false;
	edge e;
	edge_iterator ei;
	FOR_EACH_EDGE(e, ei, bb->succs)
		if (e->flags & (EDGE_EH | EDGE_ABNORMAL | EDGE_FAKE))
			return false;
	return true;
}

/* Sets the probabilities of bb's exits from their counts when all are
   known and some ran; whether it did. */
bool set_probabilities(struct flow *f, basic_block bb)
{
	if (!plain_branch(bb))
		return false;
	int n_unknown;
	edge missing;
	int64_t sum = known_sum(f, bb->succs, &n_unknown, &missing);
	if (n_unknown || sum <= 0)
		return false;
	edge e;
	edge_iterator ei;
	/* A never-run exit counts one run: its block stays in line here. */
	FOR_EACH_EDGE(e, ei, bb->succs)
		sum += edge_count(f, e) == 0;
	FOR_EACH_EDGE(e, ei, bb->succs)
		e->probability = profile_probability::probability_in_gcov_type(
			MAX(edge_count(f, e), (int64_t)1), sum).guessed();
	return true;
}

/* The blocks' training counts; how many blocks have one. A function
   entered 0 times whose lines ran was already running when training
   started (the measured loop): its entry count stays unknown. */
int read_counts(struct flow *f, function *fun, uint64_t calls)
{
	int n_known = 0;
	basic_block bb;
	FOR_EACH_BB_FN(bb, fun) {
		uint64_t c;
		if (ol_block_count(bb, &c)) {
			f->block[bb->index] = capped(c);
			n_known++;
		}
	}
	if (calls)
		f->block[ENTRY_BLOCK] = capped(calls);
	return n_known;
}

/* GCC recomputes the block counts from the new probabilities. A rare
   block whose count now rounds to zero gets the least count above zero
   instead: GCC moves a zero-count block to .cold, and which blocks go
   there is the outline pass's decision (a block that ran never does). */
void recount(function *fun)
{
	auto_sbitmap was_zero(last_basic_block_for_fn(fun));
	bitmap_clear(was_zero);
	basic_block bb;
	FOR_EACH_BB_FN(bb, fun)
		if (bb->count == profile_count::zero())
			bitmap_set_bit(was_zero, bb->index);
	rebuild_frequencies();
	profile_count entry = ENTRY_BLOCK_PTR_FOR_FN(fun)->count;
	if (!entry.nonzero_p())
		return;
	profile_count least = entry.apply_scale(1, entry.to_gcov_type());
	FOR_EACH_BB_FN(bb, fun)
		if (!bitmap_bit_p(was_zero, bb->index) && !bb->count.nonzero_p())
			bb->count = least;
}

const pass_data fdo_pass_data = {
	GIMPLE_PASS, "olayout_fdo", OPTGROUP_NONE, TV_NONE, PROP_cfg | PROP_ssa, 0, 0, 0, 0,
};

class fdo_pass : public gimple_opt_pass {
public:
	explicit fdo_pass(gcc::context *ctxt) : gimple_opt_pass(fdo_pass_data, ctxt) {}
	bool gate(function *fun) final override
	{
		return optimize > 0 && profile_status_for_fn(fun) == PROFILE_GUESSED;
	}
	unsigned int execute(function *fun) final override;
};

unsigned int fdo_pass::execute(function *fun)
{
	const char *name = ol_fn_name(fun->decl);
	const struct ol_profile_function *trained =
		ol_profile_find_function(ol_cfg.profile, name);
	if (!trained)
		return 0;
	struct flow f;
	f.block.safe_grow(last_basic_block_for_fn(fun));
	for (int i = 0; i < last_basic_block_for_fn(fun); i++)
		f.block[i] = UNKNOWN;
	basic_block bb;
	edge e;
	edge_iterator ei;
	FOR_ALL_BB_FN(bb, fun)
		FOR_EACH_EDGE(e, ei, bb->succs) {
			f.edge.safe_push(UNKNOWN);
			e->aux = (void *)(intptr_t)f.edge.length();
		}

	int n_known = read_counts(&f, fun, trained->calls), n_set = 0;
	if (n_known) {
		propagate(&f, fun);
		FOR_EACH_BB_FN(bb, fun)
			n_set += set_probabilities(&f, bb);
	}
	FOR_ALL_BB_FN(bb, fun)
		FOR_EACH_EDGE(e, ei, bb->succs)
			e->aux = NULL;
	if (n_set)
		recount(fun);
	/* A function that ran has lines that ran, unless the profile was
	   made from other sources than these. */
	if (trained->calls && !n_known && ol_cfg.profile->n_lines)
		warning_at(UNKNOWN_LOCATION, 0,
			   "olayout: profile: %qs ran %llu times in training but none of its lines "
			   "has a count, as in a profile of other sources: GCC keeps its guesses",
			   name, (unsigned long long)trained->calls);
	ol_note("%s: %d of %d blocks have training counts; %d branches take trained "
		"probabilities", name, n_known, n_basic_blocks_for_fn(fun) - 2, n_set);
	return 0;
}

} // namespace

opt_pass *ol_make_fdo_pass(gcc::context *ctxt)
{
	return new fdo_pass(ctxt);
}
