/*
 * blocksplit.cc - split-cold: the blocks of a function's hot partition
 * that never ran (exact counts from the block profile, chosen by
 * blockorder.cc) move into its cold partition (fn.cold in .text.unlikely),
 * which is made when the function had none: BOLT's -split-functions
 * -split-all-cold, after GCC's bbro. The outline pass decides cold at
 * GIMPLE from line counts, so a block sharing a line with code that ran
 * stays; exttsp-warm only puts such blocks at the end of the hot part,
 * where they still sit between the function and the next one.
 *
 * The moves use GCC's own partition machinery as its bbpart does (bbpart
 * runs in cfglayout mode before register allocation; this pass in
 * cfglayout mode after bbro): BB_SET_PARTITION, crtl->has_bb_partition,
 * EDGE_CROSSING on every edge between the partitions, no crossing
 * fall-through (a conditional jump is inverted when its other way stays
 * in its partition, else force_nonfallthru adds a jump, in a block of the
 * source's partition where the source has more exits), CROSSING_JUMP_P on
 * every jump with a crossing edge. x86-64 jumps reach anywhere
 * (HAS_LONG_COND_BRANCH), so bbpart's conversions of branches into
 * indirect jumps, which need registers, are not needed (a target without
 * is refused). cfg_layout_finalize then lays the blocks out and adds,
 * inverts or removes jumps as for any order; final switches sections at
 * the partition boundary (insert_section_boundary_note, pass_free_cfg).
 *
 * What is not understood is refused, the function left as it is with a
 * verbose note: EH edges (landing pads must stay in their thrower's
 * partition), abnormal edges, setjmp, non-local labels, computed gotos
 * and asm goto, and what GCC's bbpart itself never splits (comdat,
 * section or naked functions, main after LTO, no
 * -freorder-blocks-and-partition).
 */
#include "gcc-plugin.h"
#include "tree.h"
#include "function.h"
#include "basic-block.h"
#include "cfg.h"
#include "rtl.h"
#include "memmodel.h"
#include "emit-rtl.h"
#include "cfghooks.h"
#include "cfgrtl.h"
#include "stringpool.h"
#include "attribs.h"
#include "olayout.h"

namespace {

/* Why GCC's bbpart would not split fun (NULL: it would). */
const char *gcc_refuses(function *fun)
{
	if (!HAS_LONG_COND_BRANCH || !HAS_LONG_UNCOND_BRANCH)
		return "the target's branches do not reach every address";
	if (!flag_reorder_blocks_and_partition)
		return "GCC does not partition (-fno-reorder-blocks-and-partition)";
	if (DECL_COMDAT_GROUP(fun->decl))
		return "it is in a comdat group";
	if (lookup_attribute("section", DECL_ATTRIBUTES(fun->decl)) ||
	    lookup_attribute("naked", DECL_ATTRIBUTES(fun->decl)))
		return "it has a section or naked attribute";
	if (in_lto_p && MAIN_NAME_P(DECL_NAME(fun->decl)))
		return "it is main after LTO (GCC's bbpart leaves it whole: PR81115)";
	return NULL;
}

/* Why the flow of fun's blocks is not plain jumps (NULL: it is). */
const char *odd_flow(function *fun)
{
	if (fun->calls_setjmp)
		return "it calls setjmp";
	if (fun->has_nonlocal_label)
		return "it has a non-local label";
	basic_block bb;
	FOR_EACH_BB_FN (bb, fun) {
		rtx_insn *end = BB_END(bb);
		if (JUMP_P(end) && computed_jump_p(end))
			return "it has a computed goto";
		if (JUMP_P(end) && extract_asm_operands(PATTERN(end)))
			return "it has an asm goto";
	}
	FOR_EACH_BB_FN (bb, fun) {
		edge e;
		edge_iterator ei;
		FOR_EACH_EDGE (e, ei, bb->succs) {
			if (e->flags & EDGE_EH)
				return "it has EH edges (landing pads)";
			/* a tail call's edge to the exit is abnormal too: it
			   never crosses (nor does any edge to the exit) */
			if ((e->flags & (EDGE_ABNORMAL | EDGE_ABNORMAL_CALL)) &&
			    !(e->flags & EDGE_SIBCALL))
				return "it has abnormal edges";
		}
	}
	return NULL;
}

/* Whether e goes between the partitions (edges of the entry and exit
   blocks never do, as for bbpart). */
bool crosses(edge e, function *fun)
{
	return e->src != ENTRY_BLOCK_PTR_FOR_FN(fun) && e->dest != EXIT_BLOCK_PTR_FOR_FN(fun) &&
	       BB_PARTITION(e->src) != BB_PARTITION(e->dest);
}

/* EDGE_CROSSING as the partitions say, on every edge. */
void mark_crossing_edges(function *fun)
{
	basic_block bb;
	FOR_EACH_BB_FN (bb, fun) {
		edge e;
		edge_iterator ei;
		FOR_EACH_EDGE (e, ei, bb->succs)
			if (crosses(e, fun))
				e->flags |= EDGE_CROSSING;
			else
				e->flags &= ~EDGE_CROSSING;
	}
}

/* bb's crossing fall-through edge, or NULL. */
edge crossing_fallthru(basic_block bb)
{
	edge e;
	edge_iterator ei;
	FOR_EACH_EDGE (e, ei, bb->succs)
		if ((e->flags & EDGE_FALLTHRU) && (e->flags & EDGE_CROSSING))
			return e;
	return NULL;
}

/* The crossing fall-through fall of bb becomes a jump: bb's conditional
   jump inverted when its other edge stays in bb's partition (the jump
   then crosses, the other edge falls through), else a jump added by
   force_nonfallthru (in a new block after bb, chained through aux, when
   bb has other exits). */
void jump_across(basic_block bb, edge fall)
{
	rtx_insn *end = BB_END(bb);
	if (EDGE_COUNT(bb->succs) == 2 && any_condjump_p(end)) {
		edge other = EDGE_SUCC(bb, EDGE_SUCC(bb, 0) == fall);
		if (!(other->flags & EDGE_CROSSING) &&
		    invert_jump(as_a<rtx_jump_insn *>(end), block_label(fall->dest), 0)) {
			fall->flags &= ~EDGE_FALLTHRU;
			other->flags |= EDGE_FALLTHRU;
			update_br_prob_note(bb);
			return;
		}
	}
	basic_block nb = force_nonfallthru(fall);
	if (nb) {
		nb->aux = bb->aux;
		bb->aux = nb;
	}
}

} // namespace

const char *ol_split_refusal(function *fun)
{
	const char *why = gcc_refuses(fun);
	return why ? why : odd_flow(fun);
}

void ol_split_partition(function *fun, const vec<basic_block> &cold)
{
	basic_block bb;
	FOR_EACH_BB_FN (bb, fun)
		if (BB_PARTITION(bb) != BB_COLD_PARTITION)
			BB_SET_PARTITION(bb, BB_HOT_PARTITION);
	for (basic_block c : cold)
		BB_SET_PARTITION(c, BB_COLD_PARTITION);
	crtl->has_bb_partition = true;
	mark_crossing_edges(fun);
	/* jump_across may add blocks (after their source): the blocks as
	   they are now, first */
	auto_vec<basic_block> blocks;
	FOR_EACH_BB_FN (bb, fun)
		blocks.safe_push(bb);
	for (basic_block b : blocks) {
		edge fall = crossing_fallthru(b);
		if (fall)
			jump_across(b, fall);
	}
	ol_split_mark_jumps(fun);
}

void ol_split_mark_jumps(function *fun)
{
	basic_block bb;
	FOR_EACH_BB_FN (bb, fun) {
		rtx_insn *end = BB_END(bb);
		if (!JUMP_P(end))
			continue;
		bool crossing = false;
		edge e;
		edge_iterator ei;
		FOR_EACH_EDGE (e, ei, bb->succs)
			crossing |= (e->flags & EDGE_CROSSING) != 0;
		CROSSING_JUMP_P(end) = crossing;
	}
}
