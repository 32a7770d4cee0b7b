/*
 * icp.cc - the icp pass: indirect calls become guarded direct calls to the
 * function they called in training, and small targets are inlined there,
 * as GCC's -fprofile-use does from its value profiles (ipa-profile and
 * gimple_ic), here from the profile's edge counts.
 *
 * An IPA pass after GCC's inliner and the path-inline pass (so it sees
 * the bodies as they will be compiled: a dispatcher such as
 * xk_sess_control, s->ops->control(...), inlined into a path). For an
 * indirect call inside a copy of function C (C's own body, or C inlined
 * elsewhere): the profile's edges from C to functions whose address is
 * taken; when one function F got at least ICP_SHARE of them, the call
 * site ran at least hot-ratio times per entry of the body it sits in, and
 * exactly one body of F exists whose argument count fits, the call
 * becomes "fp == F ? F(...) : fp(...)" (a speculative edge, which GCC
 * expands) with F inlined into the guarded branch, when GCC may inline it
 * and estimates the copy at most max-growth instructions (a guard alone
 * would only add a compare to every run). The general call
 * stays for every other target, so a stale profile costs a compare, never
 * a wrong call.
 *
 * Options: the plugin's hot-ratio and max-growth (README); runs with
 * path-inlining (variants PIN and ALL) and a profile with edges.
 * Verbose: "icp: C -> F promoted and inlined, +N instructions" or why not.
 */
#include "gcc-plugin.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "cgraph.h"
#include "alloc-pool.h"
#include "symbol-summary.h"
#include "tree-vrp.h"
#include "ipa-prop.h"
#include "ipa-fnsummary.h"
#include "ipa-inline.h"
#include "olayout.h"

namespace {

/* The least share of C's calls to address-taken functions that F must
   have got in training for C's indirect calls to be promoted to F. */
const double ICP_SHARE = 0.9;

/* The function C's calls went to in training (at least ICP_SHARE of its
   calls to functions whose address is taken), or NULL. */
const char *trained_target(const char *caller)
{
	const struct ol_profile *p = ol_cfg.profile;
	uint64_t total = 0, best = 0;
	const char *target = NULL;
	for (size_t i = 0; i < p->n_edges; i++) {
		if (strcmp(p->edges[i].caller, caller) != 0)
			continue;
		auto_vec<cgraph_node *> f = ol_functions_named(p->edges[i].callee, true);
		if (f.length() != 1 || !f[0]->address_taken)
			continue;
		total += p->edges[i].count;
		if (p->edges[i].count > best) {
			best = p->edges[i].count;
			target = p->edges[i].callee;
		}
	}
	return best && (double)best >= ICP_SHARE * (double)total ? target : NULL;
}

/* Why the indirect call ie is not worth a guard: its body was not trained,
   or the site ran less than hot-ratio times per entry of it; or NULL. */
const char *rare(cgraph_edge *ie, char *buf, size_t len)
{
	cgraph_node *top = ie->caller->inlined_to ? ie->caller->inlined_to : ie->caller;
	const struct ol_profile_function *f =
		ol_profile_find_function(ol_cfg.profile, ol_fn_name(top->decl));
	bool known;
	if (!f || !f->calls || !ie->count.initialized_p() || !top->count.nonzero_p())
		return "its function has no training count";
	sreal share = ie->count.to_sreal_scale(top->count, &known);
	if (known && share.to_double() >= ol_cfg.hot_ratio)
		return NULL;
	snprintf(buf, len, "the call site ran %.3g times per entry of %s (hot-ratio %g)",
		 known ? share.to_double() : 0.0, ol_fn_name(top->decl), ol_cfg.hot_ratio);
	return buf;
}

/* Promotes ie when training says where it goes and the target can be
   inlined there; whether it did. */
bool promote(cgraph_edge *ie)
{
	const char *caller = ol_fn_name(ie->caller->decl);
	const char *fn = trained_target(caller);
	if (!fn)
		return false;
	auto_vec<cgraph_node *> targets = ol_functions_named(fn, true);
	char buf[256];
	const char *why = rare(ie, buf, sizeof buf);
	if (!why && !ol_arguments_fit(ie, targets[0]))
		why = "the argument count differs";
	if (why) {
		ol_note("icp: %s -> %s not promoted: %s", caller, fn, why);
		return false;
	}
	cgraph_edge *direct = ie->make_speculative(targets[0], ie->count.apply_scale(9, 10));
	int growth = estimate_edge_growth(direct);
	why = ol_why_not_inline(direct);
	if (!why && growth > ol_cfg.max_growth) {
		snprintf(buf, sizeof buf, "+%d instructions (max-growth %d)", growth,
			 ol_cfg.max_growth);
		why = buf;
	}
	/* A guard without the copy only adds a compare (the count of
	   instructions per run must not grow): the call stays indirect. */
	if (why) {
		cgraph_edge::resolve_speculation(direct, NULL);
		ol_note("icp: %s -> %s not promoted: not inlinable here: %s", caller, fn, why);
		return false;
	}
	inline_call(direct, true, NULL, NULL, false);
	ol_note("icp: %s -> %s promoted and inlined, %+d instructions", caller, fn, growth);
	return true;
}

const pass_data icp_pass_data = {
	IPA_PASS, "olayout_icp", OPTGROUP_NONE, TV_NONE, 0, 0, 0, 0, 0,
};

class icp_pass : public ipa_opt_pass_d {
public:
	explicit icp_pass(gcc::context *ctxt)
		: ipa_opt_pass_d(icp_pass_data, ctxt, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL,
				 NULL)
	{
	}
	bool gate(function *) final override { return optimize > 0 && ol_cfg.profile->n_edges; }
	unsigned int execute(function *) final override;
};

unsigned int icp_pass::execute(function *)
{
	auto_vec<cgraph_edge *> calls;
	cgraph_node *node;
	FOR_EACH_DEFINED_FUNCTION(node)
		for (cgraph_edge *ie = node->indirect_calls; ie; ie = ie->next_callee)
			if (!ie->speculative && !ie->indirect_info->polymorphic)
				calls.safe_push(ie);
	for (cgraph_edge *ie : calls)
		if (promote(ie))
			ipa_update_overall_fn_summary(ie->caller->inlined_to ? ie->caller->inlined_to
									: ie->caller);
	return 0;
}

} // namespace

opt_pass *ol_make_icp_pass(gcc::context *ctxt)
{
	return new icp_pass(ctxt);
}
