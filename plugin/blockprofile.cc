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
 * whose discriminator is ID is the same block here. Edges get counts from
 * the blocks' counts, never from GCC's probabilities: a block's only way
 * out has its count; a block's only way in has that block's count; else
 * the source's count shared in the ratio of its successors' counts, at
 * most the destination's.
 *
 * Entries that do not fit (an ID that ran but is no block of the function,
 * or most of its blocks without an entry: another build, other options)
 * leave GCC's counts, with a verbose note. A block without an entry (none of its
 * instructions had a location of its own: a lone `ret`) takes GCC's count,
 * scaled by the ratio of the entries' counts to GCC's over the blocks that
 * have both.
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

/* counts by block index from the n entries b (-1: no entry); how many
   blocks have none. */
size_t entry_counts(function *fun, const auto_vec<int> &index, const struct ol_profile_block *const *b,
		    size_t n, auto_vec<int64_t> *counts)
{
	counts->truncate(0);
	counts->safe_grow_cleared(last_basic_block_for_fn(fun));
	basic_block bb;
	FOR_EACH_BB_FN (bb, fun)
		(*counts)[bb->index] = -1;
	for (size_t i = 0; i < n; i++)
		if (is_block(index, b[i]))
			(*counts)[index[b[i]->id]] = (int64_t)MIN(b[i]->count, (uint64_t)INT64_MAX);
	size_t gaps = 0;
	FOR_EACH_BB_FN (bb, fun)
		gaps += (*counts)[bb->index] < 0;
	return gaps;
}

/* Whether bb's entry counts all of its instructions: its first one that
   takes bytes has a location, so the trained build's line table has a row
   of bb's id from there to bb's end. An instruction without one counts
   for the row before it, another block's; and a block whose code has
   none gets an entry only from an empty row (a location of no code), 0
   although it ran: zlib's inflate had such a block of 34 bytes (ran 185
   times in training, entry 0). */
bool counted_whole(basic_block bb)
{
	rtx_insn *insn;
	FOR_BB_INSNS (bb, insn)
		if (NONDEBUG_INSN_P(insn) && get_attr_min_length(insn) > 0)
			return INSN_HAS_LOCATION(insn);
	return false;
}

/* counts[i] for the blocks without an entry (-1): GCC's count times the
   entries' counts over GCC's, over the blocks that have both. */
void fill_gaps(function *fun, auto_vec<int64_t> *counts)
{
	double trained = 0, guessed = 0;
	basic_block bb;
	FOR_EACH_BB_FN (bb, fun)
		if ((*counts)[bb->index] >= 0) {
			trained += (*counts)[bb->index];
			guessed += gcc_count(bb);
		}
	double scale = guessed > 0 ? trained / guessed : 0;
	FOR_EACH_BB_FN (bb, fun)
		if ((*counts)[bb->index] < 0)
			(*counts)[bb->index] = (int64_t)(gcc_count(bb) * scale);
}

/* A block every way into which comes from blocks that surely never ran
   (exact, count 0) never ran either, whatever its entry says: exact, 0.
   A block without a location of its own (register moves on an edge,
   after allocation) has no entry of its own, or a 0 from an empty row. */
void derive_never(function *fun, auto_vec<int64_t> *counts, auto_vec<bool> *exact)
{
	for (bool more = true; more;) {
		more = false;
		basic_block bb;
		FOR_EACH_BB_FN (bb, fun) {
			if ((*exact)[bb->index] && (*counts)[bb->index] == 0)
				continue;
			bool never = EDGE_COUNT(bb->preds) > 0;
			edge e;
			edge_iterator ei;
			FOR_EACH_EDGE (e, ei, bb->preds)
				never &= e->src != ENTRY_BLOCK_PTR_FOR_FN(fun) && (*exact)[e->src->index] &&
					 (*counts)[e->src->index] == 0;
			if (never) {
				(*exact)[bb->index] = true;
				(*counts)[bb->index] = 0;
				more = true;
			}
		}
	}
}

} // namespace

bool ol_block_profile_counts(function *fun, auto_vec<int64_t> *counts, auto_vec<bool> *exact)
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
	if (exact) {
		exact->truncate(0);
		exact->safe_grow_cleared(counts->length());
		basic_block bb;
		FOR_EACH_BB_FN (bb, fun)
			(*exact)[bb->index] = (*counts)[bb->index] >= 0 && counted_whole(bb);
	}
	fill_gaps(fun, counts);
	if (exact)
		derive_never(fun, counts, exact);
	ol_note("block-order: %s: counts from %zu block entries (%zu blocks without one: GCC's, scaled)",
		name, n, gaps);
	return true;
}

int64_t ol_block_profile_edge(edge e, const auto_vec<int64_t> &counts)
{
	int64_t from = counts[e->src->index], to = counts[e->dest->index];
	if (plain_edges(e->src->succs) == 1)
		return from;
	if (plain_edges(e->dest->preds) == 1)
		return to;
	double out = 0;
	edge s;
	edge_iterator ei;
	FOR_EACH_EDGE (s, ei, e->src->succs)
		if (!(s->flags & EDGE_COMPLEX))
			out += counts[s->dest->index];
	if (out <= 0)
		return 0;
	return MIN((int64_t)((double)from * to / out), MIN(from, to));
}
