/*
 * library.cc - library marks: a call from a path's function (root or
 * layer) to a library function of the profile is never inlined, so every
 * path calls the one shared copy that olayout places apart. Elsewhere GCC's
 * inliner decides as without the plugin: a noinline attribute on the
 * library function cost the stack ~2% more instructions per round trip
 * (xk_csum_add called per chunk from msg_walk's callback instead of
 * inlined into the checksum loop).
 *
 * GCC has no per-call "do not inline" mark that survives its edge rebuilds,
 * so the edge's call_stmt_cannot_inline_p is set twice: right before the
 * early inliner (a GIMPLE pass after local-fnsummary) and, under -flto,
 * before the IPA inliner at link time (an IPA pass before inline).
 */
#include "gcc-plugin.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "cgraph.h"
#include "stringpool.h"
#include "attribs.h"
#include "olayout.h"

namespace {

/* Marks node's calls to library functions not inlinable when node is a
   path's function; returns how many. */
int keep_library_calls(cgraph_node *node)
{
	const char *caller = ol_fn_name(node->decl);
	if (!ol_on_path(caller))
		return 0;
	int marked = 0;
	for (cgraph_edge *e = node->callees; e; e = e->next_callee) {
		tree callee = e->callee->ultimate_alias_target()->decl;
		const char *name = ol_fn_name(callee);
		if (!e->inline_failed || !ol_profile_is_library(ol_cfg.profile, name))
			continue;
		if (lookup_attribute("always_inline", DECL_ATTRIBUTES(callee))) {
			ol_note("%s: library %s is always_inline: inlined anyway", caller, name);
			continue;
		}
		if (!e->call_stmt_cannot_inline_p)
			marked++;
		/* GCC's inliners want a final reason with the bit. */
		e->call_stmt_cannot_inline_p = 1;
		e->inline_failed = CIF_UNSPECIFIED;
	}
	return marked;
}

const pass_data early_library_pass_data = {
	GIMPLE_PASS, "olayout_library", OPTGROUP_NONE, TV_NONE, PROP_cfg, 0, 0, 0, 0,
};

class early_library_pass : public gimple_opt_pass {
public:
	explicit early_library_pass(gcc::context *ctxt)
		: gimple_opt_pass(early_library_pass_data, ctxt)
	{
	}
	unsigned int execute(function *fun) final override
	{
		cgraph_node *node = cgraph_node::get(fun->decl);
		int n = node ? keep_library_calls(node) : 0;
		if (n)
			ol_note("%s: %d library call(s) kept out of line", ol_fn_name(fun->decl), n);
		return 0;
	}
};

const pass_data library_pass_data = {
	IPA_PASS, "olayout_library_ipa", OPTGROUP_NONE, TV_NONE, 0, 0, 0, 0, 0,
};

class library_pass : public ipa_opt_pass_d {
public:
	explicit library_pass(gcc::context *ctxt)
		: ipa_opt_pass_d(library_pass_data, ctxt, NULL, NULL, NULL, NULL, NULL, NULL, 0,
				 NULL, NULL)
	{
	}
	unsigned int execute(function *) final override
	{
		cgraph_node *node;
		FOR_EACH_DEFINED_FUNCTION(node)
			if (!node->inlined_to)
				keep_library_calls(node);
		return 0;
	}
};

} // namespace

opt_pass *ol_make_early_library_pass(gcc::context *ctxt)
{
	return new early_library_pass(ctxt);
}

opt_pass *ol_make_library_pass(gcc::context *ctxt)
{
	return new library_pass(ctxt);
}
