/*
 * fdo.cc - the fdo pass: GCC's branch probabilities from the training
 * counts of the profile's source lines (as AutoFDO does with samples), so
 * that GCC's own block ordering (bbro), hot/cold decisions and inliner
 * follow what ran instead of static guesses.
 *
 * A GIMPLE pass right after profile_estimate, before the outline pass
 * (fdo=on), or with fdo=late the last GIMPLE pass, before revive and
 * expand: then GCC's inliner and GIMPLE passes decide on their own guesses
 * (early, on jq, GCC inlined differently: 3.7% more instructions) and the
 * trained probabilities reach only the RTL passes: block order (bbro's
 * software trace cache follows edge probabilities and block counts),
 * if-conversion, register allocation. Late, a branch with an exit the
 * outline pass sent to .cold (probability never, count zero) keeps it; with
 * switch-counts=on a switch with such an exit takes its other exits'
 * probabilities from their flow counts (set_switch), else an interpreter's
 * dispatch (sqlite3VdbeExec) counts every case a share of it, the rare ones
 * as hot as the hot. Per
 * function the profile has a `function` entry for: the entry block ran as
 * often as the function was entered; a block holding a statement from a
 * line that ran ran as often as its line (outline.cc's rule, which also
 * caps an inlined statement by its call site); a cold-line block never
 * ran. A branch the profile's `branch` entries (version 5: the conditional
 * jumps of the training build, by the locations of the jump and of its
 * two exits) name unambiguously gets their counts: the entries at the
 * condition's location whose taken exit starts one of the block's exits
 * and whose fall-through starts the other, and neither starts both
 * (summed: a loop's test runs before the loop and at its end). That is
 * the one thing line counts cannot tell where a branch's exits share
 * lines or meet at once. The flow rules (flow.cc) then fill in what
 * follows: an edge that is its source's only exit or its destination's
 * only entry has that block's count, a block's missing edge is its count
 * less the others, a block's count is the sum of its known entries or
 * exits. A branch whose exits all
 * got counts gets probabilities in their ratio (an exit that never ran
 * keeps a tiny one: moving never-run blocks is the outline pass's job);
 * other branches keep GCC's guesses (verbose says which rule decided
 * each branch). GCC then recomputes the block counts
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
#include "tree-ssa-alias.h"
#include "internal-fn.h"
#include "gimple-expr.h"
#include "gimple.h"
#include "gimple-iterator.h"
#include "tree-cfg.h"
#include "sbitmap.h"
#include "dominance.h"
#include "olayout.h"

namespace {

/* Counts are kept below this so that sums and GCC's scaling stay exact. */
const uint64_t COUNT_CAP = (uint64_t)1 << 40;

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

/* Whether exit e never runs by the outline pass's (or GCC's) word:
   probability never, or a destination of count zero, bound for .cold.
   After inlining that decision is made and stays. */
bool outlined(edge e)
{
	return e->probability == profile_probability::never() ||
	       e->dest->count == profile_count::zero();
}

/* Whether an exit of bb is outlined. */
bool exit_outlined(basic_block bb)
{
	edge e;
	edge_iterator ei;
	FOR_EACH_EDGE(e, ei, bb->succs)
		if (outlined(e))
			return true;
	return false;
}

/* Sets the probabilities of bb's exits in the ratio of counts (one per
   exit, in bb->succs order). A never-run exit counts one run: its block
   stays in line here. */
void set_ratio(basic_block bb, const int64_t *counts)
{
	int64_t sum = 0;
	for (unsigned i = 0; i < EDGE_COUNT(bb->succs); i++)
		sum += MAX(counts[i], (int64_t)1);
	for (unsigned i = 0; i < EDGE_COUNT(bb->succs); i++)
		EDGE_SUCC(bb, i)->probability = profile_probability::probability_in_gcov_type(
			MAX(counts[i], (int64_t)1), sum).guessed();
}

/* Sets the probabilities of bb's exits from their flow counts when all
   are known and some ran; whether it did. */
bool set_probabilities(struct ol_flow *f, basic_block bb)
{
	int n_unknown;
	edge missing;
	int64_t sum = ol_flow_known_sum(f, bb->succs, &n_unknown, &missing);
	if (n_unknown || sum <= 0)
		return false;
	auto_vec<int64_t> counts;
	edge e;
	edge_iterator ei;
	FOR_EACH_EDGE(e, ei, bb->succs)
		counts.safe_push(ol_flow_edge(f, e));
	set_ratio(bb, counts.address());
	return true;
}

/* The count of a switch's exit e that is not outlined: its flow count,
   else its destination's (a bound: other edges may enter it too), else
   OL_FLOW_UNKNOWN. */
int64_t switch_exit_count(struct ol_flow *f, edge e)
{
	int64_t c = ol_flow_edge(f, e);
	return c != OL_FLOW_UNKNOWN ? c : f->block[e->dest->index];
}

/* Sets the probabilities of a switch (more than two exits) some of whose
   exits are outlined: the others in the ratio of their counts, an exit of
   unknown count getting an even share of what the switch's own count
   leaves; the outlined ones stay never. Whether it did (not when a count
   it needs is unknown or none ran). A two-way branch with an outlined
   exit has nothing to set: its other exit is always taken. */
bool set_switch(struct ol_flow *f, basic_block bb)
{
	if (EDGE_COUNT(bb->succs) <= 2)
		return false;
	auto_vec<int64_t> counts;
	int64_t sum = 0;
	int n_unknown = 0;
	edge e;
	edge_iterator ei;
	FOR_EACH_EDGE(e, ei, bb->succs) {
		int64_t c = outlined(e) ? 0 : switch_exit_count(f, e);
		n_unknown += c == OL_FLOW_UNKNOWN;
		sum += MAX(c, (int64_t)0);
		counts.safe_push(c);
	}
	if (n_unknown) {
		if (f->block[bb->index] == OL_FLOW_UNKNOWN)
			return false;
		int64_t share = MAX(f->block[bb->index] - sum, (int64_t)0) / n_unknown;
		for (int64_t &c : counts)
			if (c == OL_FLOW_UNKNOWN)
				c = share;
		sum += share * n_unknown;
	}
	if (sum <= 0)
		return false;
	unsigned i = 0;
	FOR_EACH_EDGE(e, ei, bb->succs) {
		if (!outlined(e))
			e->probability = profile_probability::probability_in_gcov_type(
				MAX(counts[i], (int64_t)1), sum).guessed();
		i++;
	}
	return true;
}

/* Whether the code e enters starts with a statement of file:line: a
   statement of the first block on its way that has located statements
   (an empty forwarder block is passed through). */
bool enters_location(edge e, const char *file, unsigned long line)
{
	basic_block bb = e->dest;
	for (int hop = 0; hop < 8 && bb != EXIT_BLOCK_PTR_FOR_FN(cfun); hop++) {
		bool located = false;
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gimple *stmt = gsi_stmt(gsi);
			if (is_gimple_debug(stmt) || gimple_location(stmt) == UNKNOWN_LOCATION)
				continue;
			located = true;
			expanded_location xl = expand_location(gimple_location(stmt));
			if (xl.file && xl.line > 0 && (unsigned long)xl.line == line &&
			    ol_profile_file_matches(xl.file, file))
				return true;
		}
		if (located || !single_succ_p(bb))
			return false;
		bb = single_succ(bb);
	}
	return false;
}

/* Which of a two-way branch's exits the code at a location starts: 0 or 1
   when only that one does, AT_NEITHER or AT_BOTH. */
enum { AT_NEITHER = -1, AT_BOTH = -2 };
int exit_at(basic_block bb, const char *file, unsigned long line)
{
	bool in0 = enters_location(EDGE_SUCC(bb, 0), file, line);
	bool in1 = enters_location(EDGE_SUCC(bb, 1), file, line);
	if (in0 && in1)
		return AT_BOTH;
	return in0 == in1 ? (int)AT_NEITHER : (int)in1;
}

/* One branch entry that may stand for bb's condition: which of bb's exits
   its taken side is, and whether both its sides' locations say so (exact)
   or one side's does and the other's starts neither exit (the training
   build's jump went past the block GCC has there: by elimination). */
struct branch_pair {
	basic_block bb;
	const struct ol_profile_branch *entry;
	int taken_exit;
	bool exact;
};

enum { MAX_BRANCH_ENTRIES = 16 };

/* The branch entries at the location of bb's condition (a two-way
   GIMPLE_COND) that map onto its exits, appended to pairs; whether the
   profile has entries there at all. */
bool pair_entries(basic_block bb, vec<branch_pair> *pairs)
{
	gimple *last = last_stmt(bb);
	if (!last || gimple_code(last) != GIMPLE_COND || EDGE_COUNT(bb->succs) != 2)
		return false;
	expanded_location xl = expand_location(gimple_location(last));
	if (!xl.file || xl.line <= 0)
		return false;
	const struct ol_profile_branch *b[MAX_BRANCH_ENTRIES];
	size_t n = ol_profile_branches_at(ol_cfg.profile, xl.file, (unsigned long)xl.line, b,
					  MAX_BRANCH_ENTRIES);
	for (size_t i = 0; i < MIN(n, (size_t)MAX_BRANCH_ENTRIES); i++) {
		int t = exit_at(bb, b[i]->taken_file, b[i]->taken_line);
		int f = exit_at(bb, b[i]->fall_file, b[i]->fall_line);
		if (t >= 0 && f == 1 - t)
			pairs->safe_push({bb, b[i], t, true});
		else if (t >= 0 && f == AT_NEITHER)
			pairs->safe_push({bb, b[i], t, false});
		else if (f >= 0 && t == AT_NEITHER)
			pairs->safe_push({bb, b[i], 1 - f, false});
	}
	return n > 0;
}

/* The exits' counts of a branch from the entries mapped onto it. */
struct branch_count {
	int64_t exits[2];
	bool exact;
};
typedef hash_map<int_hash<int, -1, -2>, branch_count> branch_counts;

/* Whether pair p counts for its block: exact, or by elimination when its
   block has no exact entry and the entry maps onto no other block (an &&
   chain's conditions share a location: an entry exact for one of them
   may look right by elimination for another). */
bool pair_counts(const vec<branch_pair> &pairs, const branch_pair &p)
{
	if (p.exact)
		return true;
	int candidates = 0;
	for (const branch_pair &q : pairs) {
		if (q.exact && (q.bb == p.bb || q.entry == p.entry))
			return false;
		candidates += q.entry == p.entry;
	}
	return candidates == 1;
}

/* The counts of fun's two-way branches that the profile's branch entries
   give (see the header), by block index; the blocks with entries at their
   condition's location none of which maps onto them go to unmapped. */
void map_branches(function *fun, branch_counts *out, auto_bitmap &unmapped)
{
	auto_vec<branch_pair> pairs;
	basic_block bb;
	FOR_EACH_BB_FN(bb, fun) {
		unsigned before = pairs.length();
		if (plain_branch(bb) && pair_entries(bb, &pairs) && pairs.length() == before)
			bitmap_set_bit(unmapped, bb->index);
	}
	for (const branch_pair &p : pairs) {
		if (!pair_counts(pairs, p))
			continue;
		bool existed;
		branch_count &c = out->get_or_insert(p.bb->index, &existed);
		if (!existed)
			c = {{0, 0}, p.exact};
		c.exits[p.taken_exit] += capped(p.entry->taken);
		c.exits[1 - p.taken_exit] += capped(p.entry->fall);
	}
}

/* The edge counts bb's branch entries give where its own count is known
   and they are not: its count in the entries' ratio. */
void seed_edges(struct ol_flow *f, basic_block bb, const int64_t counts[2])
{
	int64_t count = f->block[bb->index];
	if (count == OL_FLOW_UNKNOWN)
		return;
	for (int i = 0; i < 2; i++)
		if (ol_flow_edge(f, EDGE_SUCC(bb, i)) == OL_FLOW_UNKNOWN)
			ol_flow_edge(f, EDGE_SUCC(bb, i)) =
				count * counts[i] / MAX(counts[0] + counts[1], (int64_t)1);
}

/* Says which rule decided bb's branch (verbose). */
void note_branch(basic_block bb, const char *rule)
{
	if (!ol_cfg.verbose)
		return;
	gimple *last = last_stmt(bb);
	expanded_location xl = expand_location(last ? gimple_location(last) : UNKNOWN_LOCATION);
	ol_note("%s: branch at %s:%d (block %d): %s", ol_fn_name(cfun->decl),
		xl.file ? xl.file : "?", xl.line, bb->index, rule);
}

/* The blocks' training counts; how many blocks have one. A function
   entered 0 times whose lines ran was already running when training
   started (the measured loop): its entry count stays unknown. */
int read_counts(struct ol_flow *f, function *fun, uint64_t calls)
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
const pass_data fdo_late_pass_data = {
	GIMPLE_PASS, "olayout_fdo_late", OPTGROUP_NONE, TV_NONE, PROP_cfg | PROP_ssa, 0, 0, 0, 0,
};

class fdo_pass : public gimple_opt_pass {
public:
	fdo_pass(gcc::context *ctxt, bool late)
		: gimple_opt_pass(late ? fdo_late_pass_data : fdo_pass_data, ctxt), late(late)
	{
	}
	bool gate(function *fun) final override
	{
		return optimize > 0 && profile_status_for_fn(fun) == PROFILE_GUESSED;
	}
	unsigned int execute(function *fun) final override;

private:
	/* after IPA inlining and the GIMPLE passes (fdo=late) */
	bool late;
};

unsigned int fdo_pass::execute(function *fun)
{
	const char *name = ol_fn_name(fun->decl);
	const struct ol_profile_function *trained =
		ol_profile_find_function(ol_cfg.profile, name);
	if (!trained)
		return 0;
	struct ol_flow f;
	ol_flow_init(&f, fun);
	basic_block bb;

	/* A clone (f.part.0, f.constprop.0) is entered less often than f */
	uint64_t calls = ol_is_clone_name(fun->decl) ? 0 : trained->calls;
	int n_known = read_counts(&f, fun, calls), n_set = 0, n_branch = 0;
	/* per block: the counts of its exits from branch entries */
	branch_counts by_branch;
	auto_bitmap unmapped;
	map_branches(fun, &by_branch, unmapped);
	/* least 1: a remainder of zero says the line counts disagree (a
	   line's count is its hottest instruction's: a && chain on one line
	   has one count), the edge stays unknown */
	if (n_known || !by_branch.is_empty()) {
		ol_flow_propagate(&f, fun, 1);
		FOR_EACH_BB_FN(bb, fun)
			if (branch_count *c = by_branch.get(bb->index))
				seed_edges(&f, bb, c->exits);
		ol_flow_propagate(&f, fun, 1);
	}
	FOR_EACH_BB_FN(bb, fun) {
		if (!plain_branch(bb))
			continue;
		if (late && exit_outlined(bb)) {
			bool set = ol_cfg.switch_counts && set_switch(&f, bb);
			n_set += set;
			note_branch(bb, set ? "switch: line counts (flow), outlined exits kept never"
					    : "kept: an exit never runs (outlined)");
			continue;
		}
		branch_count *c = by_branch.get(bb->index);
		if (c && c->exits[0] + c->exits[1] > 0) {
			set_ratio(bb, c->exits);
			n_set++, n_branch++;
			note_branch(bb, c->exact ? "branch counts"
					: "branch counts (one exit by its location, the other by "
					  "elimination)");
		} else if ((n_known || !by_branch.is_empty()) && set_probabilities(&f, bb)) {
			n_set++;
			note_branch(bb, "line counts (flow)");
		} else {
			note_branch(bb, bitmap_bit_p(unmapped, bb->index)
					? "GCC's guess (branch entries at its location, none maps "
					  "onto its exits)"
					: "GCC's guess");
		}
	}
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
		"probabilities (%d from branch counts)%s", name, n_known,
		n_basic_blocks_for_fn(fun) - 2, n_set, n_branch, late ? ", after inlining" : "");
	return 0;
}

/* The exit of q's block that q's entry says never ran (its count zero,
   the other's not), or NULL. */
edge entry_untaken(const branch_pair &q)
{
	const struct ol_profile_branch *b = q.entry;
	if (!b->taken == !b->fall)
		return NULL;
	return EDGE_SUCC(q.bb, b->taken ? 1 - q.taken_exit : q.taken_exit);
}

/* Whether the entries mapped onto bb say which branch they are, as far as
   its untaken exit goes. The tests of an && chain on one line share their
   location, and an entry whose fall-through is the next test's location
   maps exactly onto each of them, although it may be any one's (the
   training build may have merged tests: msg_truncate's while loop). An
   entry that maps onto another block too counts for bb only when p is
   exact and every other block it maps onto exactly is above bb in the
   chain: bb is reached only through that block's exit the entry never
   took (and a block it maps onto by elimination only is not its branch:
   fdo.cc's rule). Then whichever test the entry is, bb's untaken exit
   never ran: it is the deepest of them (next_segment's `t->fin_queued &&
   seq + n == end && (n > 0 || avail == 0) && tcp_seq_le(seq, end)`: the
   last test, tcp_seq_le's, is cold). Dominators must be computed. */
bool unambiguous(const vec<branch_pair> &pairs, basic_block bb)
{
	for (const branch_pair &p : pairs)
		for (const branch_pair &q : pairs) {
			if (p.bb != bb || q.entry != p.entry || q.bb == bb || (p.exact && !q.exact))
				continue;
			edge u = p.exact ? entry_untaken(q) : NULL;
			if (!u || !single_pred_p(u->dest) ||
			    !dominated_by_p(CDI_DOMINATORS, bb, u->dest))
				return false;
		}
	return true;
}

} // namespace

/* Stricter than the fdo pass's mapping, as an exit that never ran is
   outlined: one entry at least maps exactly onto the branch (by
   elimination alone, xk_control's `p->ops->control ? ... : -EOPNOTSUPP`
   took the call, which ran, for never run: the -O1 build's jump went to
   the constant's code, which GCC has as a PHI argument, without a
   block), every entry mapped onto it (also by elimination) counts, and
   none may map onto another branch too. */
void ol_untaken_exits(function *fun, vec<edge> *out)
{
	auto_vec<branch_pair> pairs;
	basic_block bb;
	FOR_EACH_BB_FN(bb, fun)
		if (plain_branch(bb))
			pair_entries(bb, &pairs);
	FOR_EACH_BB_FN(bb, fun) {
		uint64_t exits[2] = {0, 0};
		bool exact = false;
		for (const branch_pair &p : pairs)
			if (p.bb == bb) {
				exits[p.taken_exit] += p.entry->taken;
				exits[1 - p.taken_exit] += p.entry->fall;
				exact |= p.exact;
			}
		if (!exact || !exits[0] + !exits[1] != 1 || !unambiguous(pairs, bb))
			continue;
		out->safe_push(EDGE_SUCC(bb, exits[0] ? 1 : 0));
	}
}

opt_pass *ol_make_fdo_pass(gcc::context *ctxt, bool late)
{
	return new fdo_pass(ctxt, late);
}
