/*
 * blockids.cc - the block-ids pass (block-ids): every basic block's
 * discriminator becomes its index, so that the line table of the build
 * tells which block each instruction belongs to, and `olayout profile
 * --blocks` can count blocks, not lines (two blocks of very different heat
 * on one source line, a macro's: xz's rc_bit, have one line count).
 *
 * An RTL pass right after GCC's bbro and before the block-order pass
 * (blockorder.cc), on every function compiled, whether it ran in training
 * or not: the block-order pass's cfg_layout_finalize renumbers the blocks
 * (compact_blocks), so only indexes taken before it are the ones a later
 * build with the same options sees again there (block-profile=FILE). GCC
 * 12's final writes a block's discriminator into the `.loc` of each of its
 * instructions (from the block's NOTE_INSN_BASIC_BLOCK), and nothing else
 * reads it after bbro: the code does not change, only .debug_line.
 *
 * GCC's own discriminators (tree-cfg's, per line) are replaced, so olayout
 * must know which functions carry block ids: each one's assembler name goes,
 * NUL-terminated, into the non-allocated section .olayout.blockids.
 */
#include "gcc-plugin.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "basic-block.h"
#include "output.h"
#include "olayout.h"

namespace {

/* Names fun in .olayout.blockids: its discriminators are block ids. */
void mark_function(function *fun)
{
	fputs("\t.pushsection .olayout.blockids,\"\",@progbits\n\t.string ", asm_out_file);
	output_quoted_string(asm_out_file, ol_asm_name(fun->decl));
	fputs("\n\t.popsection\n", asm_out_file);
}

const pass_data blockids_data = {
	RTL_PASS, "olayout_blockids", OPTGROUP_NONE, TV_NONE, 0, 0, 0, 0, 0,
};

struct blockids_pass : rtl_opt_pass {
	blockids_pass(gcc::context *ctxt) : rtl_opt_pass(blockids_data, ctxt) {}
	/* every function: ungated, whether bbro ran or not */
	unsigned int execute(function *fun) override
	{
		basic_block bb;
		FOR_EACH_BB_FN (bb, fun)
			bb->discriminator = bb->index;
		mark_function(fun);
		ol_note("block-ids: %s: %d blocks", ol_asm_name(fun->decl),
			n_basic_blocks_for_fn(fun) - NUM_FIXED_BLOCKS);
		return 0;
	}
};

} // namespace

opt_pass *ol_make_blockids_pass(gcc::context *ctxt)
{
	return new blockids_pass(ctxt);
}
