/*
 * loops.cc - the loops pass: hot loops of the profile's paths unrolled by
 * their trained trip counts, as `#pragma GCC unroll N` asks.
 *
 * -fprofile-use unrolls and peels the loops its counts call hot; without
 * it GCC's -O2 leaves a short loop rolled, and each iteration but the last
 * takes its back edge (tcpip's xk_csum_add: about 4 per call, 6 calls a
 * round trip). A GIMPLE pass after profile_estimate, on the functions of
 * the profile's paths and their hot helpers: for an innermost loop it
 * reads the `branch` entries (version 5) at the location of each exit
 * test, once per location (two tests of one line share them). An entry whose one exit's location is a line of the loop (other
 * than the test's own) and whose other exit's is not counts the loop's
 * iterations on the first and its exits on the second: trips per entry =
 * (iterations + exits) / exits. An entry whose exits both lie in the loop,
 * or both outside, says nothing (the test copied before a loop; a line
 * shared by the test and the code after the loop). A loop of at least 2
 * trips gets loop->unroll = the largest power of two not above its trips
 * (at most 8; GCC's runtime unrolling wants a power of two), while the
 * copies stay within 200 of GCC's size estimate (its max-unrolled-insns);
 * the function gets has_unroll, so that the RTL unroller runs on it at
 * -O2. GCC's own machinery does the rest: complete unrolling where the trip
 * count becomes a constant (after inlining), else runtime unrolling. The
 * mark goes with the loop when the function is inlined. A loop that has
 * its own unroll pragma keeps it. The counts are summed in 128 bits: a
 * profile's counts may be up to 2^64 - 1 each, and their sums never wrap
 * (tests/plugin/loops_huge.t).
 *
 * Verbose: `loops: F: loop at FILE:LINE, T trips per entry: unroll N`, or
 * why not.
 */
#include "gcc-plugin.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "basic-block.h"
#include "cfg.h"
#include "cfgloop.h"
#include "tree-ssa-alias.h"
#include "internal-fn.h"
#include "gimple-expr.h"
#include "gimple.h"
#include "gimple-iterator.h"
#include "tree-inline.h"
#include "tree-cfg.h"
#include "olayout.h"

namespace {

/* GCC's own limits for unrolling (params max-unroll-times and
   max-unrolled-insns, their defaults). */
const int MAX_FACTOR = 8;
const int MAX_UNROLLED_INSNS = 200;

typedef hash_set<int_hash<int, -1, -2>> line_set;

/* The lines of file that the loop's statements come from (an early
   inlined statement may come from another file). */
void loop_lines(class loop *loop, const char *file, line_set *lines)
{
	basic_block *bbs = get_loop_body(loop);
	for (unsigned i = 0; i < loop->num_nodes; i++)
		for (gimple_stmt_iterator gsi = gsi_start_bb(bbs[i]); !gsi_end_p(gsi);
		     gsi_next(&gsi)) {
			location_t loc = gimple_location(gsi_stmt(gsi));
			const char *f = LOCATION_FILE(loc);
			if (!is_gimple_debug(gsi_stmt(gsi)) && f && strcmp(f, file) == 0)
				lines->add(LOCATION_LINE(loc));
		}
	free(bbs);
}

/* GCC's size estimate of the loop's body. */
int loop_size(class loop *loop)
{
	basic_block *bbs = get_loop_body(loop);
	int size = 0;
	for (unsigned i = 0; i < loop->num_nodes; i++)
		for (gimple_stmt_iterator gsi = gsi_start_nondebug_bb(bbs[i]); !gsi_end_p(gsi);
		     gsi_next_nondebug(&gsi))
			size += estimate_num_insns(gsi_stmt(gsi), &eni_size_weights);
	free(bbs);
	return size;
}

/* Whether the exit of a branch entry at FILE:TEST lies in the loop: on one
   of its lines (of that file), other than the test's own. */
bool in_loop(line_set &lines, const char *file, unsigned long test,
	     const char *exit_file, unsigned long exit_line)
{
	return exit_line != test && ol_profile_file_matches(file, exit_file) &&
	       exit_line <= INT_MAX && lines.contains((int)exit_line);
}

/* One branch entry's counts on the way into the loop (an iteration, or
   an entry when the test was copied before the loop) and out of it. */
struct way {
	uint64_t in, out;
};

/* The source location of an exit test already read. A line holding two
   tests (`i < n && p[i] != k`) ends two exit blocks but has one set of
   branch entries: read twice, the test before the loop is no longer found
   (trained_trips) and its entries count as iterations. */
struct test_at {
	const char *file;
	unsigned long line;
};

/* Adds to ways the branch entries at the exit test ending block bb whose
   exits the loop's lines tell apart, unless seen has its location. */
void classify(class loop *loop, basic_block bb, auto_vec<test_at> *seen, auto_vec<way> *ways)
{
	gimple *last = last_stmt(bb);
	if (!last || gimple_code(last) != GIMPLE_COND)
		return;
	location_t loc = gimple_location(last);
	const char *file = LOCATION_FILE(loc);
	unsigned long line = LOCATION_LINE(loc);
	if (!file || !line)
		return;
	for (const test_at &t : *seen)
		if (t.line == line && strcmp(t.file, file) == 0)
			return;
	seen->safe_push(test_at{file, line});
	/* every entry there: counting from a part would miscount the trips */
	size_t n = ol_profile_branches_at(ol_cfg.profile, file, line, NULL, 0);
	if (!n)
		return;
	auto_vec<const struct ol_profile_branch *> b(n);
	b.quick_grow(n);
	ol_profile_branches_at(ol_cfg.profile, file, line, b.address(), n);
	line_set lines;
	loop_lines(loop, file, &lines);
	for (size_t i = 0; i < n; i++) {
		bool taken_in = in_loop(lines, file, line, b[i]->taken_file, b[i]->taken_line);
		bool fall_in = in_loop(lines, file, line, b[i]->fall_file, b[i]->fall_line);
		if (taken_in != fall_in)
			ways->safe_push(taken_in ? way{b[i]->taken, b[i]->fall}
						 : way{b[i]->fall, b[i]->taken});
	}
}

/* A sum of counts. Each count is below 2^64 (profiles/README.md), their
   sums need not be (a profile may carry huge counts): they are added in
   128 bits, where no sum of 64-bit counts wraps. */
typedef unsigned __int128 count_sum;

/* The loop's iterations and exits from its ways. A way whose count into
   the loop is the others' count out of it is the test before the loop
   (each entry leaves once): it counts entries, not iterations, and is left
   out (csum.c's `while (s >> 16)`: 5111 iterations, 13221 exits, and a
   test before the loop entering it 13221 times). */
void trained_trips(const auto_vec<way> &ways, count_sum *iters, count_sum *exits)
{
	count_sum out = 0;
	for (const way &w : ways)
		out += w.out;
	for (const way &w : ways) {
		if (ways.length() > 1 && w.in && w.in == out - w.out)
			continue;
		*iters += w.in;
		*exits += w.out;
	}
}

/* The unroll factor for loop from its trained trips (0: leave it), and
   why in why. */
int decide(class loop *loop, const char **why, double *trips)
{
	auto_vec<way> ways;
	auto_vec<test_at> seen;
	for (edge e : get_loop_exit_edges(loop))
		classify(loop, e->src, &seen, &ways);
	count_sum iters = 0, exits = 0;
	trained_trips(ways, &iters, &exits);
	*trips = exits ? (double)(iters + exits) / (double)exits : 0;
	if (!exits) {
		*why = iters ? "never left in training" : "no branch entry tells its trips";
		return 0;
	}
	if (*trips < 2) {
		*why = "fewer than 2 trips per entry";
		return 0;
	}
	int factor = 2, size = MAX(loop_size(loop), 1);
	while (factor * 2 <= *trips && factor * 2 <= MAX_FACTOR)
		factor *= 2;
	while (factor > 1 && factor * size > MAX_UNROLLED_INSNS)
		factor /= 2;
	if (factor < 2) {
		*why = "too big to copy";
		return 0;
	}
	*why = "unroll";
	return factor;
}

/* Where the loop is in the source: its header's first located statement. */
expanded_location loop_location(class loop *loop)
{
	for (gimple_stmt_iterator gsi = gsi_start_bb(loop->header); !gsi_end_p(gsi);
	     gsi_next(&gsi))
		if (LOCATION_LINE(gimple_location(gsi_stmt(gsi))))
			return expand_location(gimple_location(gsi_stmt(gsi)));
	return expand_location(DECL_SOURCE_LOCATION(current_function_decl));
}

const pass_data loops_pass_data = {
	GIMPLE_PASS, "olayout_loops", OPTGROUP_NONE, TV_NONE, PROP_cfg | PROP_ssa, 0, 0, 0, 0,
};

class loops_pass : public gimple_opt_pass {
public:
	loops_pass(gcc::context *ctxt, bool late)
		: gimple_opt_pass(loops_pass_data, ctxt), late(late)
	{
	}
	bool gate(function *fun) final override
	{
		return optimize > 0 && !optimize_function_for_size_p(fun) && loops_for_fn(fun);
	}
	unsigned int execute(function *fun) final override;

private:
	bool late;
};

/* LTO streams a loop's unroll factor but not its function's has_unroll
   (an inlined copy sets its caller's again): late, a function with a
   factor gets it back, or the RTL unroller skips its own body. */
unsigned int mark_unroll(function *fun)
{
	for (auto loop : loops_list(fun, LI_ONLY_INNERMOST))
		if (loop->unroll > 1)
			fun->has_unroll = true;
	return 0;
}

unsigned int loops_pass::execute(function *fun)
{
	if (late)
		return mark_unroll(fun);
	const char *name = ol_fn_name(fun->decl);
	if (!ol_on_path(name) && !ol_path_helper(name, true))
		return 0;
	for (auto loop : loops_list(fun, LI_ONLY_INNERMOST)) {
		if (loop->unroll)	/* the source's pragma */
			continue;
		const char *why;
		double trips;
		int factor = decide(loop, &why, &trips);
		expanded_location at = loop_location(loop);
		if (!factor) {
			ol_note("loops: %s: loop at %s:%d: %s", name, at.file ? at.file : "?",
				at.line, why);
			continue;
		}
		loop->unroll = factor;
		fun->has_unroll = true;
		ol_note("loops: %s: loop at %s:%d, %.2f trips per entry: %s %d", name,
			at.file ? at.file : "?", at.line, trips, why, factor);
	}
	return 0;
}

} // namespace

opt_pass *ol_make_loops_pass(gcc::context *ctxt, bool late)
{
	return new loops_pass(ctxt, late);
}
