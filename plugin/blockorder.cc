/*
 * blockorder.cc - the block-order pass (block-order=exttsp): each
 * function's basic blocks ordered by their counts with the ext-TSP
 * objective (Newell and Pupyrev, "Improved basic block reordering", IEEE
 * TC 2020; what LLVM BOLT's -reorder-blocks=ext-tsp does), instead of the
 * order of GCC's bbro (the software trace cache at -O2).
 *
 * An RTL pass right after bbro, on the functions that ran in training (the
 * profile's `function` entries; their counts are the fdo pass's). It goes
 * back into cfglayout mode (as bbro does: jumps are then implied by the
 * order, and cfg_layout_finalize adds, inverts or removes them), orders
 * the blocks of the entry's partition, keeps the other partition (.cold)
 * after them as GCC laid it out, and leaves cfglayout mode. The entry block
 * stays first, the partitions stay one run each (crossing jumps are
 * explicit jumps in cfglayout mode and stay so).
 *
 * The objective: a jump of count w from the end of block s to the start of
 * block d scores w when d follows s (a fall-through), 0.1 w (1 - D/1024)
 * when d lies D < 1024 bytes after s's end (a short forward jump), 0.1 w
 * (1 - D/640) when D < 640 bytes before it (a short backward jump, a
 * loop's), else nothing. Greedy chain merging: every block starts as a
 * chain; of every two chains a jump connects, the merge that gains most
 * (X Y, Y X, or X split in two around Y: X1 Y X2, Y X2 X1, X2 X1 Y, for a
 * chain X of at most SPLIT_MAX blocks) is made, until no merge gains;
 * the entry's chain comes first, the others by their density (counts per
 * byte), hottest first. The order is kept only where it scores more than
 * GCC's. block-order=exttsp-warm (olayout-cc's default) then moves the
 * blocks that ran rarely (fewer than the outline pass's rare count) and
 * the never-run ones behind the hot ones (warm_last).
 *
 * A function keeps GCC's order, with a verbose note saying why, when it
 * did not run in training, optimizes for size, begins in .cold, has more
 * than BLOCKS_MAX blocks, or its partitions are not one run each. A block
 * GCC left without a count is counted from its incoming edges.
 *
 * With block-profile=FILE a function with block entries takes its blocks'
 * and edges' counts from them (blockprofile.cc), not from GCC's; with
 * split-cold too, the blocks whose entries say they never ran (or, rare,
 * ran rarely) leave the order for the cold partition (split_off here,
 * the partition machinery in blocksplit.cc), and the cold partition's
 * blocks that ran (outlined by cold-runs) go first in it, most runs first
 * (cold_blocks).
 */
#define INCLUDE_VECTOR
#define INCLUDE_MAP
#define INCLUDE_ALGORITHM
#include "gcc-plugin.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "basic-block.h"
#include "cfg.h"
#include "rtl.h"
#include "memmodel.h"
#include "emit-rtl.h"
#include "df.h"
#include "cfgrtl.h"
#include "cfgcleanup.h"
#include "output.h"
#include "predict.h"
#include "olayout.h"

namespace {

/* The objective's weights and distances (BOLT's defaults). */
const double FALLTHROUGH_WEIGHT = 1.0, JUMP_WEIGHT = 0.1;
const double FORWARD_DISTANCE = 1024, BACKWARD_DISTANCE = 640;
/* A chain of more blocks is not split (LLVM's ChainSplitThreshold). */
const size_t SPLIT_MAX = 128;
/* A function of more blocks keeps GCC's order (the merging is quadratic). */
const int BLOCKS_MAX = 5000;

struct node {
	basic_block bb;
	int64_t size;  /* bytes, GCC's least length of its instructions */
	int64_t count; /* times it ran */
};

struct jump {
	int src, dst; /* node indices */
	double weight;
	bool direct; /* can fall through (else a jump table's or computed jump's) */
};

struct chain {
	std::vector<int> nodes;
	std::vector<int> jumps;		     /* both ends in the chain */
	std::map<int, std::vector<int>> adj; /* other chain -> jumps between them */
	double score;
	bool alive;
};

/* A way to merge chain x with chain y: the nodes in their new order. */
struct merge {
	double gain;
	std::vector<int> order;
};

struct layout {
	std::vector<node> nodes;
	std::vector<jump> jumps;
	std::vector<chain> chains;
	std::vector<int64_t> addr; /* per node, scratch for scoring */
	/* block and edge counts from the block profile (blockprofile.cc); NULL: GCC's counts */
	const struct ol_flow *trained;
	const auto_vec<bool> *exact; /* by block index: trained->block is exact (split-cold) */
};

/* l->addr: the nodes of order laid out in it. */
void place(layout *l, const std::vector<int> &order)
{
	int64_t at = 0;
	for (int n : order) {
		l->addr[n] = at;
		at += l->nodes[n].size;
	}
}

/* The score of the jumps js with the nodes of order laid out in it. */
double score(layout *l, const std::vector<int> &order, const std::vector<int> &js)
{
	place(l, order);
	double s = 0;
	for (int j : js) {
		const jump &jp = l->jumps[j];
		int64_t end = l->addr[jp.src] + l->nodes[jp.src].size, dst = l->addr[jp.dst];
		if (end == dst && jp.direct)
			s += FALLTHROUGH_WEIGHT * jp.weight;
		else if (dst >= end && dst - end < FORWARD_DISTANCE)
			s += JUMP_WEIGHT * jp.weight * (1 - (dst - end) / FORWARD_DISTANCE);
		else if (dst < end && end - dst < BACKWARD_DISTANCE)
			s += JUMP_WEIGHT * jp.weight * (1 - (end - dst) / BACKWARD_DISTANCE);
	}
	return s;
}

std::vector<int> concat(const std::vector<int> &a, const std::vector<int> &b,
			const std::vector<int> &c)
{
	std::vector<int> r(a);
	r.insert(r.end(), b.begin(), b.end());
	r.insert(r.end(), c.begin(), c.end());
	return r;
}

/* Keeps order in best when it gains more (the entry node, 0, must stay first). */
void consider(layout *l, std::vector<int> order, const std::vector<int> &js, double before,
	      bool has_entry, merge *best)
{
	if (has_entry && order[0] != 0)
		return;
	double gain = score(l, order, js) - before;
	if (gain > best->gain) {
		best->gain = gain;
		best->order = std::move(order);
	}
}

/* The best merge of x and y, splitting x (tried both ways round by the caller). */
void best_split(layout *l, int x, int y, const std::vector<int> &js, double before, merge *best)
{
	const std::vector<int> &xn = l->chains[x].nodes, &yn = l->chains[y].nodes, none;
	bool entry = xn[0] == 0 || yn[0] == 0;
	consider(l, concat(xn, yn, none), js, before, entry, best);
	if (xn.size() > SPLIT_MAX)
		return;
	for (size_t i = 1; i < xn.size(); i++) {
		std::vector<int> x1(xn.begin(), xn.begin() + i), x2(xn.begin() + i, xn.end());
		consider(l, concat(x1, yn, x2), js, before, entry, best);
		consider(l, concat(yn, x2, x1), js, before, entry, best);
		consider(l, concat(x2, x1, yn), js, before, entry, best);
	}
}

/* The best merge of chains x and y. */
merge best_merge(layout *l, int x, int y)
{
	chain &cx = l->chains[x], &cy = l->chains[y];
	std::vector<int> js = concat(cx.jumps, cy.jumps, cx.adj[y]);
	merge best = {0, {}};
	double before = cx.score + cy.score;
	best_split(l, x, y, js, before, &best);
	best_split(l, y, x, js, before, &best);
	return best;
}

/* Merges chain y into chain x in the order m. */
void apply(layout *l, int x, int y, merge *m)
{
	chain &cx = l->chains[x], &cy = l->chains[y];
	cx.nodes = std::move(m->order);
	cx.jumps.insert(cx.jumps.end(), cy.jumps.begin(), cy.jumps.end());
	cx.jumps.insert(cx.jumps.end(), cx.adj[y].begin(), cx.adj[y].end());
	cx.score += cy.score + m->gain;
	cx.adj.erase(y);
	for (auto &kv : cy.adj) {
		if (kv.first == x)
			continue;
		std::vector<int> &mine = cx.adj[kv.first];
		mine.insert(mine.end(), kv.second.begin(), kv.second.end());
		std::map<int, std::vector<int>> &other = l->chains[kv.first].adj;
		std::vector<int> &theirs = other[x];
		theirs.insert(theirs.end(), kv.second.begin(), kv.second.end());
		other.erase(y);
	}
	cy.alive = false;
	cy.adj.clear();
	cy.jumps.clear();
}

/* Merges chains while a merge gains. */
void merge_chains(layout *l)
{
	std::map<std::pair<int, int>, merge> gains;
	for (size_t x = 0; x < l->chains.size(); x++)
		for (auto &kv : l->chains[x].adj)
			if ((int)x < kv.first)
				gains[{(int)x, kv.first}] = best_merge(l, x, kv.first);
	for (;;) {
		auto best = gains.end();
		for (auto it = gains.begin(); it != gains.end(); ++it)
			if (it->second.gain > 1e-9 &&
			    (best == gains.end() || it->second.gain > best->second.gain))
				best = it;
		if (best == gains.end())
			return;
		int x = best->first.first, y = best->first.second;
		merge m = std::move(best->second);
		apply(l, x, y, &m);
		for (auto it = gains.begin(); it != gains.end();)
			if (it->first.first == x || it->first.second == x || it->first.first == y ||
			    it->first.second == y)
				it = gains.erase(it);
			else
				++it;
		for (auto &kv : l->chains[x].adj)
			gains[{std::min(x, kv.first), std::max(x, kv.first)}] =
				best_merge(l, std::min(x, kv.first), std::max(x, kv.first));
	}
}

/* The nodes in their new order: the entry's chain, then the others by
   density, densest first (ties: GCC's order). */
std::vector<int> final_order(layout *l)
{
	std::vector<int> alive;
	std::vector<double> density(l->chains.size());
	for (size_t c = 0; c < l->chains.size(); c++) {
		if (!l->chains[c].alive)
			continue;
		alive.push_back(c);
		double count = 0, size = 0;
		for (int n : l->chains[c].nodes) {
			count += l->nodes[n].count;
			size += l->nodes[n].size;
		}
		density[c] = count / size;
	}
	std::stable_sort(alive.begin(), alive.end(), [&](int a, int b) {
		bool ea = l->chains[a].nodes[0] == 0, eb = l->chains[b].nodes[0] == 0;
		if (ea != eb)
			return ea;
		return density[a] > density[b];
	});
	std::vector<int> order;
	for (int c : alive)
		order.insert(order.end(), l->chains[c].nodes.begin(), l->chains[c].nodes.end());
	return order;
}

/* The bytes of l's nodes. */
int64_t bytes_of(const layout *l)
{
	int64_t b = 0;
	for (const node &n : l->nodes)
		b += n.size;
	return b;
}

/* The most times bb's lines ran in training (the profile's line counts;
   0 when they are cold-lines), or -1 when the profile knows none of them:
   a bound on bb's runs (a line's count is its hottest instruction's, and
   counts every inlined copy of it). */
int64_t line_bound(basic_block bb)
{
	int64_t most = -1;
	rtx_insn *insn;
	FOR_BB_INSNS (bb, insn) {
		if (!NONDEBUG_INSN_P(insn) || !INSN_HAS_LOCATION(insn))
			continue;
		expanded_location xl = expand_location(INSN_LOCATION(insn));
		uint64_t c;
		if (!xl.file || xl.line <= 0)
			continue;
		if (ol_profile_line_count(ol_cfg.profile, xl.file, (unsigned long)xl.line, &c))
			most = MAX(most, (int64_t)c);
		else if (ol_profile_is_cold_line(ol_cfg.profile, xl.file, (unsigned long)xl.line))
			most = MAX(most, (int64_t)0);
	}
	return most;
}

/* The class of node n for block-order=exttsp-warm: 0 the entry and the hot
   blocks, 1 the warm ones (ran, fewer than warm times), 2 the never-run.
   Its runs: its lines' largest profile count (bound[n]; -1: none known),
   or GCC's count where that is lower: zero when the flow or the outline
   pass says it never ran. GCC's counts are local to the function, on its
   own scale (a hot loop's blocks capped at about 100 runs per entry), so
   only a count far below the line counts tells more than they do. */
int warmth(const layout *l, const std::vector<int64_t> &bound, int n, int64_t warm)
{
	int64_t c = bound[n] < 0 ? l->nodes[n].count : MIN(l->nodes[n].count, bound[n]);
	return n == 0 || c >= warm ? 0 : c > 0 ? 1 : 2;
}

/* The rare count of fun, in training runs as the outline pass's: the
   larger of cold-runs/cold-ppm's and cold-ratio times its training
   entries (0: none set, nothing is warm). */
int64_t warm_below(function *fun)
{
	const struct ol_profile_function *f =
		ol_profile_find_function(ol_cfg.profile, ol_fn_name(fun->decl));
	double calls = f ? (double)f->calls : 0;
	return MAX((int64_t)ol_cfg.rare_below, (int64_t)(ol_cfg.cold_ratio * calls));
}

/* line_bound of each node of l. */
std::vector<int64_t> line_bounds(const layout *l)
{
	std::vector<int64_t> bound(l->nodes.size());
	for (size_t n = 0; n < l->nodes.size(); n++)
		bound[n] = line_bound(l->nodes[n].bb);
	return bound;
}

/* block-order=exttsp-warm: order's hot blocks first, then its warm ones,
   then the never-run ones, each in order's order. ext-TSP scores jumps
   only: in an interpreter's loop a rare case that falls through into a
   hot one (or whose jumps are short) lands between the hot ones
   (sqlite3VdbeExec), spreading them over more cache lines. Returns the
   bytes moved behind the hot ones (their count in *moved). */
int64_t warm_last(const layout *l, function *fun, std::vector<int> *order, size_t *moved)
{
	int64_t warm = warm_below(fun);
	std::vector<int64_t> bound = line_bounds(l);
	std::stable_sort(order->begin(), order->end(), [&](int a, int b) {
		return warmth(l, bound, a, warm) < warmth(l, bound, b, warm);
	});
	int64_t bytes = 0;
	*moved = 0;
	for (int n : *order)
		if (warmth(l, bound, n, warm) > 0) {
			++*moved;
			bytes += l->nodes[n].size;
		}
	return bytes;
}

/* exttsp-warm on ext-TSP's order, with its note. After ext-TSP has won
   against GCC's order by the score: the split costs score (fall-throughs
   into the rare blocks become jumps), and judged with it ext-TSP lost to
   GCC's order in xz-utils' lzma_decode and in 193 more of sqlite3's
   functions. */
void warm_order(const layout *l, function *fun, const char *name, std::vector<int> *order)
{
	size_t moved;
	int64_t bytes = warm_last(l, fun, order, &moved);
	ol_note("block-order: %s: %zu warm or never-run blocks (%lld of %lld bytes) after the hot "
		"ones", name, moved, (long long)bytes, (long long)bytes_of(l));
}

int64_t block_size(basic_block bb)
{
	int64_t size = 0;
	rtx_insn *insn;
	FOR_BB_INSNS (bb, insn)
		if (NONDEBUG_INSN_P(insn))
			size += get_attr_min_length(insn);
	return MAX(size, 1);
}

/* Whether e can fall through (not a jump table's or a computed jump's:
   those score as jumps, their targets near the jump or far from it). */
bool direct_edge(edge e)
{
	rtx_insn *end = BB_END(e->src);
	return !(JUMP_P(end) && (computed_jump_p(end) || tablejump_p(end, NULL, NULL)));
}

/* The count of e from s, a node of count n: its own, else (s has no count
   of its own) n times its probability; 0 when neither is known. */
int64_t edge_count(edge e, int64_t n)
{
	profile_count c = e->count();
	if (c.initialized_p())
		return c.to_gcov_type();
	if (!e->probability.initialized_p())
		return 0;
	return n * e->probability.to_reg_br_prob_base() / REG_BR_PROB_BASE;
}

/* bb's count. GCC leaves a few blocks of a trained function without one
   (sqlite3VdbeExec's `if (c) goto jump_to_p2;` of OP_If and its copy of
   the jump's block); such a block counts what its incoming edges bring,
   from the nodes collected so far (the blocks before it). */
int64_t block_count(layout *l, basic_block bb)
{
	if (bb->count.initialized_p())
		return bb->count.to_gcov_type();
	int64_t sum = 0;
	edge e;
	edge_iterator ei;
	FOR_EACH_EDGE (e, ei, bb->preds) {
		intptr_t p = (intptr_t)e->src->aux - 1;
		bool node = p >= 0 && p < (intptr_t)l->nodes.size() && l->nodes[p].bb == e->src;
		sum += edge_count(e, node ? l->nodes[p].count : 0);
	}
	return sum;
}

/* The nodes (the blocks of the entry's partition, in GCC's order) and the
   jumps between them. */
void collect(layout *l, function *fun)
{
	basic_block first = ENTRY_BLOCK_PTR_FOR_FN(fun)->next_bb, bb;
	FOR_EACH_BB_FN (bb, fun) {
		if (BB_PARTITION(bb) != BB_PARTITION(first))
			break;
		bb->aux = (void *)(intptr_t)(l->nodes.size() + 1);
		int64_t count = l->trained ? l->trained->block[bb->index] : block_count(l, bb);
		l->nodes.push_back({bb, block_size(bb), count});
	}
	for (size_t i = 0; i < l->nodes.size(); i++) {
		edge e;
		edge_iterator ei;
		FOR_EACH_EDGE (e, ei, l->nodes[i].bb->succs) {
			intptr_t d = (intptr_t)e->dest->aux - 1;
			if (d < 0 || e->dest == l->nodes[i].bb || (e->flags & EDGE_COMPLEX))
				continue;
			int64_t c = l->trained ? ol_block_profile_edge(e, *l->trained)
					       : edge_count(e, l->nodes[i].count);
			if (c > 0)
				l->jumps.push_back({(int)i, (int)d, (double)c, direct_edge(e)});
		}
	}
	FOR_EACH_BB_FN (bb, fun)
		bb->aux = NULL;
	l->addr.resize(l->nodes.size());
	l->chains.resize(l->nodes.size());
	for (size_t i = 0; i < l->nodes.size(); i++)
		l->chains[i] = {{(int)i}, {}, {}, 0, true};
	for (size_t j = 0; j < l->jumps.size(); j++) {
		int s = l->jumps[j].src, d = l->jumps[j].dst;
		l->chains[s].adj[d].push_back(j);
		l->chains[d].adj[s].push_back(j);
	}
}

/* The bytes split-cold adds to the hot part when the nodes marked cold
   leave order: each jump from a hot node into one of them that was short
   in order (a fall-through, or a target less than SHORT_REACH bytes away:
   a 2-byte jump) becomes a 32-bit one, LONG_EXTRA bytes more. A jump
   table's entries keep their size. */
int64_t jump_growth(layout *l, const std::vector<int> &order, const std::vector<bool> &cold)
{
	const int64_t SHORT_REACH = 128, LONG_EXTRA = 4;
	std::vector<int> node_of(last_basic_block_for_fn(cfun), -1);
	for (size_t n = 0; n < l->nodes.size(); n++)
		node_of[l->nodes[n].bb->index] = n;
	place(l, order);
	int64_t growth = 0;
	for (int d : order) {
		if (!cold[d])
			continue;
		edge e;
		edge_iterator ei;
		FOR_EACH_EDGE (e, ei, l->nodes[d].bb->preds) {
			int s = e->src->index < (int)node_of.size() ? node_of[e->src->index] : -1;
			if (s < 0 || cold[s] || !direct_edge(e))
				continue;
			int64_t from = l->addr[s] + l->nodes[s].size;
			if (std::abs(l->addr[d] - from) < SHORT_REACH)
				growth += LONG_EXTRA;
		}
	}
	return growth;
}

/* split-cold: the nodes of order that go to the cold partition, taken
   out of order (in its order): those whose block profile entry says they
   never ran (with split-cold=rare also those that ran fewer times than
   exttsp-warm's rare count); none where the counts are GCC's or fun's
   flow is not plain jumps (verbose says why). */
std::vector<int> split_off(layout *l, function *fun, const char *name, std::vector<int> *order)
{
	int64_t warm = ol_cfg.split == OL_SPLIT_RARE ? warm_below(fun) : 0;
	std::vector<int64_t> bound = warm ? line_bounds(l) : std::vector<int64_t>(l->nodes.size(), -1);
	std::vector<int> hot, cold;
	std::vector<bool> is_cold(l->nodes.size());
	int64_t bytes = 0;
	for (int n : *order) {
		bool exact = l->exact && (*l->exact)[l->nodes[n].bb->index];
		is_cold[n] = n != 0 && exact && (l->nodes[n].count == 0 || warmth(l, bound, n, warm) > 0);
		(is_cold[n] ? cold : hot).push_back(n);
		bytes += is_cold[n] ? l->nodes[n].size : 0;
	}
	if (cold.empty())
		return cold;
	const char *what = warm ? "ran rarely or never" : "never ran";
	const char *why = ol_split_refusal(fun);
	int64_t growth = why ? 0 : jump_growth(l, *order, is_cold);
	if (!why && growth >= bytes)
		why = "the hot part would not shrink";
	if (why) {
		ol_note("block-order: %s: %zu blocks that %s (%lld bytes; jumps to them %lld bytes more) "
			"stay in place: %s", name, cold.size(), what, (long long)bytes, (long long)growth, why);
		return {};
	}
	ol_note("block-order: %s: %zu blocks that %s (%lld of %lld bytes; jumps to them %lld bytes "
		"more) to its cold partition", name, cold.size(), what, (long long)bytes,
		(long long)bytes_of(l), (long long)growth);
	*order = std::move(hot);
	return cold;
}

/* Why fun keeps GCC's order, or NULL. */
const char *why_not(function *fun)
{
	const struct ol_profile_function *f =
		ol_profile_find_function(ol_cfg.profile, ol_fn_name(fun->decl));
	if (!f || !f->insns)
		return "it did not run in training";
	if (optimize_function_for_size_p(fun))
		return "it is optimized for size";
	if (n_basic_blocks_for_fn(fun) > BLOCKS_MAX + NUM_FIXED_BLOCKS)
		return "it has more than 5000 blocks";
	basic_block first = ENTRY_BLOCK_PTR_FOR_FN(fun)->next_bb, bb;
	if (first != single_succ(ENTRY_BLOCK_PTR_FOR_FN(fun)))
		return "its entry block is not first";
	if (BB_PARTITION(first) == BB_COLD_PARTITION)
		return "it begins in .cold";
	bool other = false;
	FOR_EACH_BB_FN (bb, fun) {
		if (BB_PARTITION(bb) != BB_PARTITION(first))
			other = true;
		else if (other)
			return "its partitions are not one run each";
	}
	return NULL;
}

/* The blocks of the other partition (.cold, after the nodes), as GCC laid
   them out; with split-cold (exact block counts) those that ran first,
   most runs first (ran), the others after (rest), with a note. The
   outline pass sends blocks that ran rarely to .cold (cold-runs), and GCC
   lays them out among the never-run ones by its own counts, zero for
   all: in xz-utils' lzma_decode.cold (3356 bytes) the ones that ran
   touched 26 of its 53 64-byte lines. */
void cold_blocks(function *fun, const layout *l, const char *name, std::vector<basic_block> *ran,
		 std::vector<basic_block> *rest)
{
	basic_block bb = l->nodes.back().bb->next_bb;
	int64_t bytes = 0;
	for (; bb != EXIT_BLOCK_PTR_FOR_FN(fun); bb = bb->next_bb) {
		bool run = l->exact && l->trained->block[bb->index] > 0;
		(run ? ran : rest)->push_back(bb);
		bytes += run ? block_size(bb) : 0;
	}
	if (ran->empty())
		return;
	std::stable_sort(ran->begin(), ran->end(), [&](basic_block a, basic_block b) {
		return l->trained->block[a->index] > l->trained->block[b->index];
	});
	ol_note("block-order: %s: %zu blocks of its cold partition that ran (%lld bytes) first in it",
		name, ran->size(), (long long)bytes);
}

/* Chains the blocks through aux for cfg_layout_finalize: order's nodes,
   the other partition's blocks that ran, split's (split-cold's, to the
   cold partition), then the other partition's other blocks (cold_blocks). */
void chain_blocks(function *fun, layout *l, const char *name, const std::vector<int> &order,
		  const std::vector<int> &split)
{
	std::vector<basic_block> chain, ran, rest;
	for (int n : order)
		chain.push_back(l->nodes[n].bb);
	cold_blocks(fun, l, name, &ran, &rest);
	chain.insert(chain.end(), ran.begin(), ran.end());
	for (int n : split)
		chain.push_back(l->nodes[n].bb);
	chain.insert(chain.end(), rest.begin(), rest.end());
	for (size_t i = 0; i + 1 < chain.size(); i++)
		chain[i]->aux = chain[i + 1];
	chain.back()->aux = NULL;
}

/* Orders fun's blocks by ext-TSP in cfglayout mode; verbose says how. */
void reorder(function *fun)
{
	const char *name = ol_fn_name(fun->decl);
	/* bbro is complete: GCC asserts that a partitioned function does not
	   go back into cfglayout mode, where cleanup could move blocks
	   between partitions; CLEANUP_NO_PARTITIONING keeps them. */
	bool complete = crtl->bb_reorder_complete;
	crtl->bb_reorder_complete = false;
	cfg_layout_initialize(CLEANUP_NO_PARTITIONING);
	crtl->bb_reorder_complete = complete;
	layout l;
	struct ol_flow trained;
	auto_vec<bool> exact;
	/* exact counts for split-cold only: they also zero the counts of the
	   blocks entered only from never-run ones, which would change the
	   order of builds without it */
	auto_vec<bool> *want = ol_cfg.split != OL_SPLIT_OFF ? &exact : NULL;
	l.trained = ol_cfg.blocks && ol_block_profile_counts(fun, &trained, want) ? &trained : NULL;
	l.exact = l.trained ? want : NULL;
	collect(&l, fun);
	size_t uncounted = l.trained ? 0 : std::count_if(l.nodes.begin(), l.nodes.end(), [](const node &n) {
		return !n.bb->count.initialized_p();
	});
	if (uncounted)
		ol_note("block-order: %s: %zu blocks without a count, counted from their incoming edges",
			name, uncounted);
	std::vector<int> gcc_order;
	for (size_t i = 0; i < l.nodes.size(); i++)
		gcc_order.push_back(i);
	std::vector<int> all(l.jumps.size());
	for (size_t j = 0; j < all.size(); j++)
		all[j] = j;
	double before = score(&l, gcc_order, all);
	merge_chains(&l);
	std::vector<int> order = final_order(&l);
	double after = score(&l, order, all);
	if (after > before) {
		ol_note("block-order: %s: %zu blocks ordered by ext-TSP (score %.0f, GCC's %.0f)",
			name, l.nodes.size(), after, before);
		if (ol_cfg.warm_last)
			warm_order(&l, fun, name, &order);
	} else {
		ol_note("block-order: %s: kept GCC's order (it scores %.0f, ext-TSP's %.0f)", name,
			before, after);
		order = gcc_order;
	}
	std::vector<int> split;
	if (ol_cfg.split != OL_SPLIT_OFF)
		split = split_off(&l, fun, name, &order);
	chain_blocks(fun, &l, name, order, split);
	if (!split.empty()) {
		auto_vec<basic_block> cold;
		for (int n : split)
			cold.safe_push(l.nodes[n].bb);
		ol_split_partition(fun, cold);
	}
	cfg_layout_finalize();
	if (!split.empty())
		ol_split_mark_jumps(fun);
	basic_block bb;
	FOR_EACH_BB_FN (bb, fun)
		df_recompute_luids(bb);
}

const pass_data blockorder_data = {
	RTL_PASS,	     /* type */
	"olayout_blockorder", /* name */
	OPTGROUP_NONE,	     /* optinfo_flags */
	TV_NONE,	     /* tv_id */
	0,		     /* properties_required */
	0,		     /* properties_provided */
	0,		     /* properties_destroyed */
	0,		     /* todo_flags_start */
	0,		     /* todo_flags_finish */
};

struct blockorder_pass : rtl_opt_pass {
	blockorder_pass(gcc::context *ctxt) : rtl_opt_pass(blockorder_data, ctxt) {}
	/* where bbro ran */
	bool gate(function *) override
	{
		return optimize > 0 && (flag_reorder_blocks || flag_reorder_blocks_and_partition);
	}
	unsigned int execute(function *fun) override
	{
		if (n_basic_blocks_for_fn(fun) <= NUM_FIXED_BLOCKS + 1)
			return 0;
		const char *why = why_not(fun);
		if (why) {
			ol_note("block-order: %s: kept GCC's order: %s", ol_fn_name(fun->decl), why);
			return 0;
		}
		reorder(fun);
		return 0;
	}
};

} // namespace

opt_pass *ol_make_blockorder_pass(gcc::context *ctxt)
{
	return new blockorder_pass(ctxt);
}
