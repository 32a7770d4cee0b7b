/*
 * flow.cc - block and edge counts by flow conservation, for the fdo pass
 * (fdo.cc: blocks counted by their lines) and the block profile
 * (blockprofile.cc: blocks counted by their block entries). Some counts
 * are known; the rules fill in what follows from them: an edge that is
 * its source's only exit or its destination's only entry has that block's
 * count, a block's one unknown edge on a side is its count less the
 * others', a block's count is the sum of its known entries or of its known
 * exits. Iterated until nothing changes.
 *
 * Edges are counted by slot: their destination's first slot plus their
 * place among its entries (e->dest_idx), so the counts stay readable after
 * the pass that made them, as long as the CFG does not change.
 */
#include "gcc-plugin.h"
#include "tree.h"
#include "function.h"
#include "basic-block.h"
#include "cfg.h"
#include "olayout.h"

namespace {

/* One round of the rules over the edges of bb on one side; whether a
   count became known. A missing edge takes the remainder only when it is
   at least least. */
bool propagate_side(struct ol_flow *f, basic_block bb, vec<edge, va_gc> *edges, int64_t least)
{
	int64_t &count = f->block[bb->index];
	int n_unknown;
	edge missing = NULL;
	int64_t sum = ol_flow_known_sum(f, edges, &n_unknown, &missing);
	if (count == OL_FLOW_UNKNOWN && n_unknown == 0 && EDGE_COUNT(edges) > 0) {
		count = sum;
		return true;
	}
	if (count != OL_FLOW_UNKNOWN && n_unknown == 1 && count - sum >= least) {
		ol_flow_edge(f, missing) = count - sum;
		return true;
	}
	return false;
}

} // namespace

void ol_flow_init(struct ol_flow *f, function *fun)
{
	f->block.truncate(0);
	f->block.safe_grow(last_basic_block_for_fn(fun));
	f->first.truncate(0);
	f->first.safe_grow(last_basic_block_for_fn(fun));
	unsigned slots = 0;
	basic_block bb;
	FOR_ALL_BB_FN(bb, fun) {
		f->first[bb->index] = slots;
		slots += EDGE_COUNT(bb->preds);
	}
	for (int i = 0; i < last_basic_block_for_fn(fun); i++)
		f->block[i] = OL_FLOW_UNKNOWN;
	f->edge.truncate(0);
	f->edge.safe_grow(slots);
	for (unsigned i = 0; i < slots; i++)
		f->edge[i] = OL_FLOW_UNKNOWN;
}

unsigned ol_flow_slot(const struct ol_flow *f, edge e)
{
	return f->first[e->dest->index] + e->dest_idx;
}

int64_t &ol_flow_edge(struct ol_flow *f, edge e)
{
	return f->edge[ol_flow_slot(f, e)];
}

int64_t ol_flow_known_sum(struct ol_flow *f, vec<edge, va_gc> *edges, int *n_unknown, edge *missing)
{
	int64_t sum = 0;
	edge e;
	edge_iterator ei;
	*n_unknown = 0;
	FOR_EACH_EDGE(e, ei, edges) {
		if (ol_flow_edge(f, e) == OL_FLOW_UNKNOWN) {
			++*n_unknown;
			*missing = e;
		} else {
			sum += ol_flow_edge(f, e);
		}
	}
	return sum;
}

void ol_flow_propagate(struct ol_flow *f, function *fun, int64_t least)
{
	bool changed = true;
	for (int round = 0; changed && round < n_basic_blocks_for_fn(fun) + 2; round++) {
		changed = false;
		basic_block bb;
		FOR_ALL_BB_FN(bb, fun) {
			changed |= propagate_side(f, bb, bb->preds, least);
			changed |= propagate_side(f, bb, bb->succs, least);
		}
	}
}
