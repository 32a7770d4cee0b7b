/*
 * blockprofile.cc - block counts for the block-order pass (blockorder.cc)
 * from a block profile (block-profile=FILE: the `block FN ID COUNT`
 * entries of `olayout profile --blocks`, the training of a build of this
 * program with block-ids). block-profile turns block-ids on: the blocks
 * carry their ids as discriminators (blockids.cc, right before the
 * block-order pass), which the cleanup of going into cfglayout mode keeps
 * while it renumbers the blocks (a forwarder block bbro left goes).
 *
 * GCC's block counts come from the fdo pass, which has line counts: blocks
 * of one source line (a macro's test and both its sides: xz's rc_bit) get
 * the hotter one's count. A block entry counts the block itself: ID is its
 * index at the block-order point of the trained build, which compiled the
 * same way up to there (same options, same line profile), so the block
 * whose discriminator is ID is the same block here.
 *
 * Counts then follow by flow conservation (flow.cc), never from GCC's
 * probabilities: a block's count is the sum of its entries' and of its
 * exits'. A block without an entry (none of its instructions had a
 * location of its own: a lone jump, a `ret`; sqlite3VdbeExec has 259 of
 * 1904) gets its count from its neighbours where they tell it (a lone
 * successor of a block with one exit has that block's count; a block all
 * of whose entries are known is their sum); so do the edges (a branch's
 * exit into a block it alone enters has that block's count, its other
 * exit the rest). The entries are exact, so a remainder of zero is a
 * count of zero. Only where flow cannot decide does a block take GCC's
 * count, scaled by the ratio of the entries' counts to GCC's over the
 * blocks that have both, and an edge the rest of its source's count
 * shared in the ratio of the other successors' counts, at most its
 * destination's.
 *
 * Entries that do not fit (an ID that ran but is no block of the function,
 * or most of its blocks without an entry: another build, other options)
 * leave GCC's counts, with a verbose note.
 *
 * For split-cold, which moves the blocks that surely never ran, a count is
 * sure only when the entry counts the whole block (its first instruction
 * has a location: profiles written before olayout profile --blocks took a
 * block's count from its rows' first instruction counted an instruction
 * without one for the row before it, another block's, and gave a block
 * none of whose code has one an entry from an empty row, 0 although it
 * ran), or for a block every way into which comes from blocks that surely
 * never ran (0).
 */
#include "gcc-plugin.h"
#include "tree.h"
#include "function.h"
#include "basic-block.h"
#include "cfg.h"
#include "rtl.h"
#include "output.h"
#include "olayout.h"

namespace {

int64_t gcc_count(basic_block bb)
{
	return bb->count.initialized_p() ? bb->count.to_gcov_type() : 0;
}

/* The edges a layout can follow (not EH, abnormal or sibling calls). */
unsigned plain_edges(vec<edge, va_gc> *edges)
{
	unsigned n = 0;
	edge e;
	edge_iterator ei;
	FOR_EACH_EDGE (e, ei, edges)
		n += !(e->flags & EDGE_COMPLEX);
	return n;
}

/* The block index of each id (-1: none), from the blocks' discriminators. */
void ids_of(function *fun, auto_vec<int> *index)
{
	uint64_t most = 0;
	basic_block bb;
	FOR_EACH_BB_FN (bb, fun)
		most = MAX(most, (uint64_t)bb->discriminator);
	index->safe_grow(most + 1);
	for (uint64_t id = 0; id <= most; id++)
		(*index)[id] = -1;
	FOR_EACH_BB_FN (bb, fun)
		if (bb->discriminator)
			(*index)[bb->discriminator] = bb->index;
}

/* Whether the entry's id is a block of fun. */
bool is_block(const auto_vec<int> &index, const struct ol_profile_block *b)
{
	return b->id < index.length() && index[b->id] >= 0;
}

/* Whether one of the n entries b that ran is no block of fun (its id in
   *id). One that never ran is left out: the trained build's line table
   has rows of no instruction (a function's last `.loc` before its end
   lands at the next function's start, with its block's id: sqlite3's
   btreeParseCellPtrIndex got the ids 9 and 20 of its 8 blocks so). */
bool stray(const auto_vec<int> &index, const struct ol_profile_block *const *b, size_t n,
	   uint64_t *id)
{
	for (size_t i = 0; i < n; i++) {
		*id = b[i]->id;
		if (b[i]->count && !is_block(index, b[i]))
			return true;
	}
	return false;
}

/* How many of fun's blocks have no count. */
size_t unknown_blocks(function *fun, const struct ol_flow &counts)
{
	size_t n = 0;
	basic_block bb;
	FOR_EACH_BB_FN (bb, fun)
		n += counts.block[bb->index] == OL_FLOW_UNKNOWN;
	return n;
}

/* counts->block from the n entries b (the others unknown); how many
   blocks have none. */
size_t entry_counts(function *fun, const auto_vec<int> &index, const struct ol_profile_block *const *b,
		    size_t n, struct ol_flow *counts)
{
	ol_flow_init(counts, fun);
	for (size_t i = 0; i < n; i++)
		if (is_block(index, b[i]))
			counts->block[index[b[i]->id]] = (int64_t)MIN(b[i]->count, (uint64_t)INT64_MAX);
	return unknown_blocks(fun, *counts);
}

/* counts->block for the blocks flow left unknown: GCC's count times the
   entries' counts over GCC's, over the blocks that have both (verbose:
   each one's). */
void fill_gaps(const char *name, function *fun, struct ol_flow *counts)
{
	double trained = 0, guessed = 0;
	basic_block bb;
	FOR_EACH_BB_FN (bb, fun)
		if (counts->block[bb->index] != OL_FLOW_UNKNOWN) {
			trained += counts->block[bb->index];
			guessed += gcc_count(bb);
		}
	double scale = guessed > 0 ? trained / guessed : 0;
	FOR_EACH_BB_FN (bb, fun)
		if (counts->block[bb->index] == OL_FLOW_UNKNOWN) {
			counts->block[bb->index] = (int64_t)(gcc_count(bb) * scale);
			ol_note("block-order: %s: block %d (no entry): %lld, GCC's, scaled", name,
				bb->index, (long long)counts->block[bb->index]);
		}
}

/* The counts flow conservation gives the blocks without an entry
   (verbose: each one's); how many it leaves unknown. */
size_t by_flow(const char *name, function *fun, struct ol_flow *counts)
{
	auto_vec<int> without;
	basic_block bb;
	FOR_EACH_BB_FN (bb, fun)
		if (counts->block[bb->index] == OL_FLOW_UNKNOWN)
			without.safe_push(bb->index);
	/* least 0: the entries are exact, a remainder of zero never ran */
	ol_flow_propagate(counts, fun, 0);
	for (int i : without)
		if (counts->block[i] != OL_FLOW_UNKNOWN)
			ol_note("block-order: %s: block %d (no entry): %lld, by flow", name, i,
				(long long)counts->block[i]);
	return unknown_blocks(fun, *counts);
}

/* Whether bb's entry counts all of its instructions: its first one that
   takes bytes has a location, so the trained build's line table has a row
   of bb's id from there to bb's end (zlib's inflate had a 34-byte block
   without one, entry 0 from an empty row, that ran 185 times). */
bool counted_whole(basic_block bb)
{
	rtx_insn *insn;
	FOR_BB_INSNS (bb, insn)
		if (NONDEBUG_INSN_P(insn) && get_attr_min_length(insn) > 0)
			return INSN_HAS_LOCATION(insn);
	return false;
}

/* Whether bb surely never ran: exact, count 0. */
bool never_ran(const struct ol_flow &counts, const auto_vec<bool> &exact, basic_block bb)
{
	return exact[bb->index] && counts.block[bb->index] == 0;
}

/* Whether every way into bb comes from a block that surely never ran. */
bool entered_from_never(function *fun, const struct ol_flow &counts, const auto_vec<bool> &exact,
			basic_block bb)
{
	edge e;
	edge_iterator ei;
	FOR_EACH_EDGE (e, ei, bb->preds)
		if (e->src == ENTRY_BLOCK_PTR_FOR_FN(fun) || !never_ran(counts, exact, e->src))
			return false;
	return EDGE_COUNT(bb->preds) > 0;
}

/* Every block all of whose ways in come from blocks that surely never ran
   never ran either (exact, count 0; verbose: each one): the register moves
   on an edge out of never-run code, or a lone `ret`, which have no
   location and so no entry of their own. Also a block whose entry counts
   too much: a count of 0 is sure, one above it may not be (olayout
   profile --blocks before 2026-12-04's review counted a row repeating the
   block's id on a location-less block laid out after it). */
void derive_never(const char *name, function *fun, struct ol_flow *counts, auto_vec<bool> *exact)
{
	for (bool more = true; more;) {
		more = false;
		basic_block bb;
		FOR_EACH_BB_FN (bb, fun) {
			if (never_ran(*counts, *exact, bb) || !entered_from_never(fun, *counts, *exact, bb))
				continue;
			(*exact)[bb->index] = true;
			counts->block[bb->index] = 0;
			ol_note("block-order: %s: block %d: 0, entered only from blocks that never ran",
				name, bb->index);
			more = true;
		}
	}
}

/* exact by block index: the entries that count their whole block, then
   the blocks derive_never finds. */
void sure_counts(const char *name, function *fun, const auto_vec<int> &index,
		 const struct ol_profile_block *const *b, size_t n, struct ol_flow *counts,
		 auto_vec<bool> *exact)
{
	exact->truncate(0);
	exact->safe_grow_cleared(last_basic_block_for_fn(fun));
	for (size_t i = 0; i < n; i++)
		if (is_block(index, b[i]))
			(*exact)[index[b[i]->id]] =
				counted_whole(BASIC_BLOCK_FOR_FN(fun, index[b[i]->id]));
	derive_never(name, fun, counts, exact);
}

} // namespace

bool ol_block_profile_counts(function *fun, struct ol_flow *counts, auto_vec<bool> *exact)
{
	const char *name = ol_asm_name(fun->decl);
	size_t n = ol_profile_blocks_of(ol_cfg.blocks, name, NULL, 0);
	if (!n) {
		ol_note("block-order: %s: no block entries: GCC's counts", name);
		return false;
	}
	auto_vec<const struct ol_profile_block *> b;
	b.safe_grow(n);
	ol_profile_blocks_of(ol_cfg.blocks, name, b.address(), n);
	auto_vec<int> index;
	ids_of(fun, &index);
	uint64_t id;
	if (stray(index, b.address(), n, &id)) {
		ol_note("block-order: %s: its block entries do not fit (block %llu is no block of it): "
			"GCC's counts", name, (unsigned long long)id);
		return false;
	}
	size_t gaps = entry_counts(fun, index, b.address(), n, counts),
	       blocks = n_basic_blocks_for_fn(fun) - NUM_FIXED_BLOCKS;
	if (2 * gaps > blocks) {
		ol_note("block-order: %s: its block entries do not fit (%zu of its %zu blocks have "
			"none): GCC's counts", name, gaps, blocks);
		return false;
	}
	size_t scaled = by_flow(name, fun, counts);
	fill_gaps(name, fun, counts);
	if (exact)
		sure_counts(name, fun, index, b.address(), n, counts, exact);
	ol_note("block-order: %s: counts from %zu block entries (%zu blocks without one: %zu by flow, "
		"%zu GCC's, scaled)", name, n, gaps, gaps - scaled, scaled);
	return true;
}

int64_t ol_block_profile_edge(edge e, const struct ol_flow &counts)
{
	int64_t known = counts.edge[ol_flow_slot(&counts, e)];
	if (known != OL_FLOW_UNKNOWN)
		return known;
	int64_t from = counts.block[e->src->index], to = counts.block[e->dest->index];
	if (plain_edges(e->src->succs) == 1)
		return from;
	if (plain_edges(e->dest->preds) == 1)
		return to;
	/* the rest of from, past the exits flow counted, shared by the others */
	double out = 0;
	edge s;
	edge_iterator ei;
	FOR_EACH_EDGE (s, ei, e->src->succs) {
		if (s->flags & EDGE_COMPLEX)
			continue;
		int64_t c = counts.edge[ol_flow_slot(&counts, s)];
		if (c == OL_FLOW_UNKNOWN)
			out += counts.block[s->dest->index];
		else
			from -= c;
	}
	if (out <= 0 || from <= 0)
		return 0;
	return MIN((int64_t)((double)from * to / out), MIN(from, to));
}
