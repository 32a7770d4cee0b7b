/*
 * copies.cc - training counts per inlined copy (the profile's `copy`
 * entries, version 6; AutoFDO keys its samples by the inline stack the
 * same way). A line's count sums every copy of it: msg_append's fast path
 * ran in training from other callers, so its copies inside a path's root
 * that never ran there looked ran and stayed in the hot body. After IPA
 * inlining a statement's copy is known: the function it is in, the call
 * sites of the inlined blocks around it (its BLOCK tree, outermost first)
 * and its own line, as DWARF names the trained build's code. When the
 * copies' profile (copies=FILE: a build of this program by the plugin,
 * trained) has an entry for exactly that copy with count zero, the
 * statement never ran; when it has none (the trained build inlined
 * otherwise), line counts decide as before. Before IPA inlining a body is
 * not yet the copies it will make, so the rule waits for the late pass,
 * and it holds in the paths' roots only (copy_ran says why).
 * The trained build may give a statement's code to another line (a test
 * folded into the load before it: rpc's blast_body_len, whose `if` at
 * blast.c:163 kept only a never-run instruction of its own): such a seed
 * on every way into or out of a block that ran is dropped as a
 * contradicted one (outline.cc), which ran every round trip in .cold.
 */
#include "gcc-plugin.h"
#include "tree.h"
#include "function.h"
#include "basic-block.h"
#include "gimple.h"
#include "gimple-iterator.h"
#include "olayout.h"

/* The copy of stmt's line: its call sites outermost first, then its own
   location, into files and lines; false when stmt is no inlined copy (or
   has no location). */
static bool copy_chain(gimple *stmt, auto_vec<const char *> *files, auto_vec<unsigned long> *lines)
{
	expanded_location own = expand_location(gimple_location(stmt));
	if (gimple_location(stmt) == UNKNOWN_LOCATION || !own.file || own.line <= 0)
		return false;
	for (tree b = gimple_block(stmt); b && TREE_CODE(b) == BLOCK; b = BLOCK_SUPERCONTEXT(b)) {
		if (!inlined_function_outer_scope_p(b))
			continue;
		expanded_location site = expand_location(BLOCK_SOURCE_LOCATION(b));
		if (!site.file || site.line <= 0)
			return false;
		files->safe_push(site.file);
		lines->safe_push((unsigned long)site.line);
	}
	if (files->is_empty())
		return false;
	files->reverse();
	lines->reverse();
	files->safe_push(own.file);
	lines->safe_push((unsigned long)own.line);
	return true;
}

/* What the copies' profile says about stmt's copy: 1 it ran, 0 it never
   ran, -1 nothing (no such entry), -2 nothing to ask (no inlined copy,
   before inlining, or not in a path's root). Roots only: there the paths'
   copies are (pin13p: eth_demux 1367 and tcp_sess_push 631 never-run bytes
   of copies whose lines ran elsewhere); in tcp_output.isra, whose copy of
   tcp_sends_data never ran, the seed took the persist check's way to
   `return 0;` for never run (with the error-return rule on its cold line
   183), and GCC put the epilogue the hot path takes in .cold (4
   instructions per round trip). */
static int copy_ran(gimple *stmt, expanded_location *own)
{
	const struct ol_profile *p = ol_cfg.copies;
	auto_vec<const char *> files;
	auto_vec<unsigned long> lines;
	uint64_t count;
	if (!p || !cfun || !cfun->after_inlining || !ol_is_root(ol_fn_name(cfun->decl)) ||
	    is_gimple_debug(stmt) || !copy_chain(stmt, &files, &lines))
		return -2;
	if (!ol_profile_copy_count(p, ol_fn_name(cfun->decl), files.address(), lines.address(),
				   files.length(), &count))
		return -1;
	*own = expand_location(gimple_location(stmt));
	return count > 0;
}

bool ol_copy_never_ran(gimple *stmt, char *why, size_t len)
{
	expanded_location own;
	if (copy_ran(stmt, &own) != 0)
		return false; /* ran, or no entry: line counts decide */
	snprintf(why, len, "%s:%d never ran in this inlined copy (copy entry), whatever its line's "
		 "count", own.file, own.line);
	return true;
}

/* Whether stmt's own line is a cold-line (the rule before copies). */
static bool cold_line(gimple *stmt)
{
	expanded_location xl = expand_location(gimple_location(stmt));
	return ol_cfg.profile && xl.file && xl.line > 0 &&
	       ol_profile_is_cold_line(ol_cfg.profile, xl.file, (unsigned long)xl.line);
}

bool ol_copy_seed(basic_block bb)
{
	char why[16];
	bool copy = false;
	for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
		if (cold_line(gsi_stmt(gsi)))
			return false; /* a seed without copies too: its rules hold */
		copy |= ol_copy_never_ran(gsi_stmt(gsi), why, sizeof why);
	}
	return copy;
}

void ol_copies_note(function *fun)
{
	int n[4] = {0, 0, 0, 0}; /* no inlined copy, no entry, never ran, ran */
	basic_block bb;
	if (!ol_cfg.verbose || !ol_cfg.copies)
		return;
	FOR_EACH_BB_FN(bb, fun)
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			expanded_location own;
			n[copy_ran(gsi_stmt(gsi), &own) + 2]++;
		}
	ol_note("%s: copies: %d statements' inlined copies never ran in training (copy "
		"entries), %d ran; %d have no copy entry (line counts decide); %d are no "
		"inlined copy", ol_fn_name(fun->decl), n[2], n[3], n[1], n[0]);
}
