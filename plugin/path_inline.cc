/*
 * path_inline.cc - the path-inline pass: every call along a profile path is
 * inlined into the path's root.
 *
 * An IPA pass right after GCC's own inliner (before it, lto1 crashed; see
 * TOOLCHAIN-NOTES). For each path and each root found (also a copy of the
 * root GCC already inlined into its caller): the "layer" starts
 * as the root; for each next function F of the path, every call to F from
 * the current layer's body (or from helpers GCC already inlined into it)
 * is inlined, and an indirect call there first becomes a speculative call
 * to F, which GCC expands into "fp == F ? F(...) : fp(...)" (gimple_ic), so
 * the general call stays for every other target. The inlined copies of F
 * are the next layer; when F is not called there (GCC's early inliner may
 * have merged it already), the search for the next function stays in the
 * same bodies. Library functions are never on a path (the profile
 * reader refuses that), so calls to them stay. The out-of-line functions
 * stay for every other caller.
 *
 * Frequency: with the profile's edge counts, a call from C to F is inlined
 * (or an indirect call in C promoted to F) only when C called F in
 * training at least min-ratio times per execution of the path's root; an
 * indirect call whose caller never called F in training is left alone, so
 * no guard is built that never hits. Without edge counts every call is
 * taken, and verbose says so.
 */
#include "gcc-plugin.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "cgraph.h"
#include "target.h"
#include "alloc-pool.h"
#include "symbol-summary.h"
#include "tree-vrp.h"
#include "ipa-prop.h"
#include "ipa-fnsummary.h"
#include "ipa-inline.h"
#include "diagnostic-core.h"
#include "olayout.h"

/* Why GCC must not inline e (GCC's own can_inline_edge_p is static), or
   NULL when it may. */
const char *ol_why_not_inline(cgraph_edge *e)
{
	enum availability avail;
	cgraph_node *callee = e->callee->ultimate_alias_target(&avail);
	cgraph_node *root = e->caller->inlined_to ? e->caller->inlined_to : e->caller;
	if (!callee->definition)
		return "no body here (a path across files needs -flto, plugin at link time)";
	if (avail < AVAIL_AVAILABLE)
		return "its body may be replaced at link time (interposable)";
	if (callee->thunk)
		return "it is a thunk";
	if (e->call_stmt_cannot_inline_p)
		return "GCC marked the call statement not inlinable (argument types differ?)";
	if (DECL_UNINLINABLE(callee->decl))
		return "it is noinline or not inlinable";
	if (!opt_for_fn(callee->decl, optimize))
		return "it is not optimised";
	if (!ipa_fn_summaries || !ipa_fn_summaries->get(callee) ||
	    !ipa_fn_summaries->get(callee)->inlinable)
		return "GCC's summary says it cannot be inlined";
	if (!targetm.target_option.can_inline_p(root->decl, callee->decl))
		return "target options differ";
	for (cgraph_node *n = e->caller; n; n = n->inlined_to ? n->callers->caller : NULL)
		if (n->decl == callee->decl)
			return "recursive call";
	return NULL;
}

/* Whether the indirect call ie could call f, from what WPA still knows:
   the number of arguments. */
bool ol_arguments_fit(cgraph_edge *ie, cgraph_node *f)
{
	tree type = TREE_TYPE(f->decl);
	if (stdarg_p(type) || !ipa_edge_args_sum)
		return true;
	ipa_edge_args *args = ipa_edge_args_sum->get(ie);
	return !args || ipa_get_cs_argument_count(args) == type_num_arguments(type);
}

/* The defined functions called fn (statics of different files can share
   a name under -flto). As roots: also copies GCC already inlined into
   callers, and clones. As targets of an indirect call: only the function
   itself, whose address the pointer holds (a clone such as f.isra takes
   other arguments). */
auto_vec<cgraph_node *> ol_functions_named(const char *fn, bool as_target)
{
	auto_vec<cgraph_node *> found;
	cgraph_node *node;
	FOR_EACH_DEFINED_FUNCTION(node) {
		bool clone = node->clone_of || ol_is_clone_name(node->decl);
		if (!node->thunk && strcmp(ol_fn_name(node->decl), fn) == 0 && !(as_target && (node->inlined_to || clone)))
			found.safe_push(node);
	}
	return found;
}

namespace {

bool named(cgraph_node *node, const char *fn)
{
	return strcmp(ol_fn_name(node->decl), fn) == 0;
}

/* How often the path's root ran in training: its function count when the
   profile has one, else the calls into it; 0 when unknown. */
uint64_t root_runs(const struct ol_profile *p, const struct ol_profile_path *path)
{
	const struct ol_profile_function *f = ol_profile_find_function(p, path->root);
	if (f && f->calls)
		return f->calls;
	uint64_t runs = 0;
	for (size_t i = 0; i < p->n_edges; i++)
		if (strcmp(p->edges[i].callee, path->root) == 0)
			runs += p->edges[i].count;
	return runs;
}

/* Why the call from caller to fn is too rare in training to take, or NULL
   (also when the profile has no counts: then nothing is known). */
const char *too_rare(const char *caller, const char *fn, uint64_t runs, char *buf, size_t len)
{
	if (!ol_cfg.profile->n_edges || !runs)
		return NULL;
	uint64_t calls = ol_profile_edge_count(ol_cfg.profile, caller, fn);
	if ((double)calls >= ol_cfg.min_ratio * (double)runs)
		return NULL;
	snprintf(buf, len, "it ran %llu times per %llu runs of the root in training (min-ratio %g)",
		 (unsigned long long)calls, (unsigned long long)runs, ol_cfg.min_ratio);
	return buf;
}

class path_inliner {
public:
	path_inliner(const struct ol_profile_path *path, cgraph_node *root)
		: path(path), root(root), runs(root_runs(ol_cfg.profile, path)) {}
	/* Returns the number of calls inlined; says in stop (when empty) where
	   and why the path stopped before its last layer. */
	int run(char *stop, size_t len);

private:
	const struct ol_profile_path *path;
	cgraph_node *root;
	uint64_t runs; /* the root's runs in training; 0: unknown */
	int inlined = 0;
	char why_last[512] = ""; /* why the last call on the path was not taken */

	void refuse(const char *action, const char *caller, const char *callee, const char *why);

	void collect(cgraph_node *body, const char *fn, vec<cgraph_edge *> *direct,
		     vec<cgraph_edge *> *indirect, vec<cgraph_node *> *next);
	bool inline_edge(cgraph_edge *e, const char *how, vec<cgraph_node *> *next);
	void promote(cgraph_edge *ie, const char *fn, vec<cgraph_node *> *next);
	const char *rare_site(cgraph_edge *e, char *buf, size_t len);
	const char *why_not_promote(cgraph_edge *ie, const char *fn, cgraph_node *target,
				    size_t n_targets, char *buf, size_t len);
	int inline_helpers(cgraph_node *body);
	const char *why_not_hot(cgraph_edge *e, char *buf, size_t len);
	const char *why_not_helper(cgraph_edge *e, char *buf, size_t len);
};

/* Calls to fn in body and in what GCC inlined into it: not yet inlined
   direct calls, indirect calls, and copies of fn already inlined. */
void path_inliner::collect(cgraph_node *body, const char *fn, vec<cgraph_edge *> *direct,
			   vec<cgraph_edge *> *indirect, vec<cgraph_node *> *next)
{
	for (cgraph_edge *e = body->callees; e; e = e->next_callee) {
		if (!e->inline_failed) {
			if (named(e->callee, fn))
				next->safe_push(e->callee);
			else
				collect(e->callee, fn, direct, indirect, next);
		} else if (named(e->callee->ultimate_alias_target(), fn) && !e->speculative) {
			direct->safe_push(e);
		}
	}
	for (cgraph_edge *e = body->indirect_calls; e; e = e->next_callee)
		if (!e->speculative && !e->indirect_info->polymorphic)
			indirect->safe_push(e);
}

/* Whether e sits in a block that never runs (outlined, or a cold-line of
   the profile) while the root itself does: a copy there would only grow
   the path's cold part. */
bool cold_site(cgraph_edge *e, cgraph_node *root)
{
	cgraph_node *top = root->inlined_to ? root->inlined_to : root;
	return e->count.initialized_p() && !e->count.nonzero_p() && top->count.nonzero_p();
}

void path_inliner::refuse(const char *action, const char *caller, const char *callee,
			  const char *why)
{
	ol_path_note(path->name, action, caller, callee, why);
	snprintf(why_last, sizeof why_last, "%s -> %s %s: %s", caller, callee, action, why);
}

/* Why the call site e is too rare to take: its count, which the outline
   pass set from the training counts of the caller's lines, is below
   min-ratio of the root's. Line counts are summed over every caller of a
   function, so a site that runs on every run of this path may show less
   (tcp_output's data segment: half its runs are acks from input). NULL also when the caller was not trained
   (its count is GCC's guess, and guesses do not decide here). */
const char *path_inliner::rare_site(cgraph_edge *e, char *buf, size_t len)
{
	cgraph_node *top = root->inlined_to ? root->inlined_to : root;
	const struct ol_profile_function *f =
		ol_profile_find_function(ol_cfg.profile, ol_fn_name(e->caller->decl));
	bool known;
	if (!f || !f->calls || !e->count.initialized_p() || !top->count.nonzero_p())
		return NULL;
	sreal share = e->count.to_sreal_scale(top->count, &known);
	if (!known || share.to_double() >= ol_cfg.min_ratio)
		return NULL;
	snprintf(buf, len, "the call site ran %.3g times per run of the root in training (min-ratio %g)",
		 share.to_double(), ol_cfg.min_ratio);
	return buf;
}

bool path_inliner::inline_edge(cgraph_edge *e, const char *how, vec<cgraph_node *> *next)
{
	const char *callee = ol_fn_name(e->callee->decl);
	const char *caller = ol_fn_name(e->caller->decl);
	char buf[256];
	const char *why = cold_site(e, root) ? "the call site never runs (cold)" : NULL;
	if (!why && !e->speculative) /* a promoted call passed the count tests already */
		why = too_rare(caller, callee, runs, buf, sizeof buf);
	if (!why && !e->speculative)
		why = rare_site(e, buf, sizeof buf);
	if (!why)
		why = ol_why_not_inline(e);
	if (why) {
		refuse("kept", caller, callee, why);
		return false;
	}
	inline_call(e, true, NULL, NULL, false);
	inlined++;
	ol_path_note(path->name, "inlined", caller, callee, how);
	next->safe_push(e->callee);
	return true;
}

/* Why the indirect call ie must not become a guarded call to target fn
   (none or several bodies of fn: target NULL), or NULL. */
const char *path_inliner::why_not_promote(cgraph_edge *ie, const char *fn, cgraph_node *target,
					  size_t n_targets, char *buf, size_t len)
{
	if (!target) {
		snprintf(buf, len, "the target cannot be proven: %s %s here",
			 n_targets ? "several functions named" : "no body of", fn);
		return buf;
	}
	const char *rare = too_rare(ol_fn_name(ie->caller->decl), fn, runs, buf, len);
	if (!rare)
		rare = rare_site(ie, buf, len);
	if (rare)
		return rare;
	if (cold_site(ie, root))
		return "the call site never runs (cold)";
	if (!ol_arguments_fit(ie, target))
		return "the argument count differs";
	return NULL;
}

/* Makes the indirect call ie a guarded direct call to fn, and inlines it. */
void path_inliner::promote(cgraph_edge *ie, const char *fn, vec<cgraph_node *> *next)
{
	auto_vec<cgraph_node *> targets = ol_functions_named(fn, true);
	cgraph_node *target = targets.length() == 1 ? targets[0] : NULL;
	char buf[256];
	const char *why = why_not_promote(ie, fn, target, targets.length(), buf, sizeof buf);
	if (why) {
		refuse("not promoted", ol_fn_name(ie->caller->decl), fn, why);
		return;
	}
	/* Most of the count to the guarded direct call: the path is the hot case. */
	profile_count count = ie->count.apply_scale(9, 10);
	cgraph_edge *direct = ie->make_speculative(target, count);
	if (!inline_edge(direct, "indirect call, guarded", next))
		cgraph_edge::resolve_speculation(direct, NULL);
}

/* The instructions of an inlined copy: its own and those of what was
   inlined into it. */
int inlined_size(cgraph_node *node)
{
	ipa_size_summary *sum = ipa_size_summaries ? ipa_size_summaries->get(node) : NULL;
	int size = sum ? sum->self_size : 0;
	for (cgraph_edge *e = node->callees; e; e = e->next_callee)
		if (!e->inline_failed)
			size += inlined_size(e->callee);
	return size;
}

/* The instructions of what GCC inlined into node at call sites that never
   run (count zero: outlined, or a cold-line of the profile), with what
   it inlined into them. A helper's copy takes them along, but they leave
   the path's hot body with the blocks that call them (GCC's bbpart moves
   code whose count is zero): they are no growth of the path. */
int cold_inlined_size(cgraph_node *node)
{
	int size = 0;
	for (cgraph_edge *e = node->callees; e; e = e->next_callee) {
		if (e->inline_failed)
			continue;
		if (e->count.initialized_p() && !e->count.nonzero_p())
			size += inlined_size(e->callee);
		else
			size += cold_inlined_size(e->callee);
	}
	return size;
}

/* What the copy of the helper call e adds to the path's hot body: GCC's
   estimate, less what GCC inlined into the helper where it never runs. */
int hot_growth(cgraph_edge *e)
{
	return estimate_edge_growth(e) - cold_inlined_size(e->callee);
}

/* Why the call e left in the path's body is not hot, or NULL: it must
   have run at least hot-ratio times per run of the root in training (the
   caller's call sites to the callee, from the profile's edge counts, and
   where the caller got training counts, this call site's count). */
const char *path_inliner::why_not_hot(cgraph_edge *e, char *buf, size_t len)
{
	cgraph_node *top = root->inlined_to ? root->inlined_to : root;
	const char *caller = ol_fn_name(e->caller->decl);
	const char *callee = ol_fn_name(e->callee->decl);
	if (!runs || !top->count.nonzero_p())
		return "the root's training count is unknown";
	uint64_t calls = ol_profile_edge_count(ol_cfg.profile, caller, callee);
	if ((double)calls < ol_cfg.hot_ratio * (double)runs) {
		snprintf(buf, len, "a helper call that ran %llu times per %llu runs of the root "
			 "(hot-ratio %g)", (unsigned long long)calls, (unsigned long long)runs,
			 ol_cfg.hot_ratio);
		return buf;
	}
	bool known;
	sreal share = e->count.initialized_p() ? e->count.to_sreal_scale(top->count, &known) : 0;
	if (ol_on_path(caller) && e->count.initialized_p() && known &&
	    share.to_double() < ol_cfg.hot_ratio) {
		snprintf(buf, len, "a helper call site that ran %.3g times per run of the root "
			 "(hot-ratio %g)", share.to_double(), ol_cfg.hot_ratio);
		return buf;
	}
	return NULL;
}

/* Why the call e in the path's body is not a hot helper call worth a
   copy, or NULL: it is hot (why_not_hot), no library function, and its
   copy may grow the body by at most max-growth instructions (GCC's
   estimate, after what the arguments' known values remove, less what
   leaves the hot body again: hot_growth). */
const char *path_inliner::why_not_helper(cgraph_edge *e, char *buf, size_t len)
{
	if (ol_profile_is_library(ol_cfg.profile, ol_fn_name(e->callee->decl)))
		return "a library function (one shared copy; GCC's inliner decides)";
	const char *why = why_not_hot(e, buf, len);
	if (why)
		return why;
	int growth = hot_growth(e);
	if (growth > ol_cfg.max_growth) {
		snprintf(buf, len, "a helper whose copy grows the body by %d instructions "
			 "(max-growth %d)", growth, ol_cfg.max_growth);
		return buf;
	}
	return ol_why_not_inline(e);
}

/* Inlines the hot helper calls left in body and in what is inlined into
   it; returns how many. */
int path_inliner::inline_helpers(cgraph_node *body)
{
	int n = 0;
	cgraph_edge *next_e;
	for (cgraph_edge *e = body->callees; e; e = next_e) {
		next_e = e->next_callee;
		if (!e->inline_failed) {
			n += inline_helpers(e->callee);
			continue;
		}
		/* Layers are the path's own business (run() said why one stayed). */
		if (!e->callee->ultimate_alias_target()->definition || e->speculative ||
		    ol_on_path(ol_fn_name(e->callee->decl)))
			continue;
		char buf[256];
		const char *caller = ol_fn_name(e->caller->decl);
		const char *callee = ol_fn_name(e->callee->decl);
		const char *why = why_not_helper(e, buf, sizeof buf);
		if (why) {
			ol_path_note(path->name, "kept", caller, callee, why);
			continue;
		}
		char how[64];
		snprintf(how, sizeof how, "hot helper, %+d instructions", hot_growth(e));
		inline_call(e, true, NULL, NULL, false);
		ol_path_note(path->name, "inlined", caller, callee, how);
		n++;
	}
	return n;
}

int path_inliner::run(char *stop, size_t len)
{
	auto_vec<cgraph_node *> layer;
	layer.safe_push(root);
	size_t reached = 0; /* layers up to here were inlined or found inlined */
	char here[sizeof why_last + 64] = ""; /* why the layer after them was not */
	for (size_t i = 0; i < path->n_layers; i++) {
		const char *fn = path->layers[i];
		why_last[0] = '\0';
		auto_vec<cgraph_edge *> direct, indirect;
		auto_vec<cgraph_node *> next;
		for (cgraph_node *body : layer)
			collect(body, fn, &direct, &indirect, &next);
		for (cgraph_edge *e : direct)
			inline_edge(e, "direct call", &next);
		if (direct.is_empty() && next.is_empty())
			for (cgraph_edge *ie : indirect)
				promote(ie, fn, &next);
		if (next.is_empty()) {
			/* GCC's early inliner may have merged fn into the layer
			   already: its calls to the next layer are then here. */
			ol_note("path %s: no inlinable call to %s in %s: looking for %s there",
				path->name, fn, i ? path->layers[i - 1] : path->root,
				i + 1 < path->n_layers ? path->layers[i + 1] : "nothing more");
			if (i == reached)
				snprintf(here, sizeof here, "%s: %s", fn,
					 why_last[0] ? why_last
						     : "no call to it found (not in this unit or partition?)");
			continue;
		}
		reached = i + 1;
		layer.truncate(0);
		layer.safe_splice(next);
	}
	if (reached < path->n_layers && !*stop)
		snprintf(stop, len, "%s", here);
	/* A helper's own hot helpers are found in the next round. */
	for (int round = 0; round < OL_HELPER_ROUNDS; round++) {
		int n = inline_helpers(root);
		inlined += n;
		if (!n)
			break;
	}
	if (inlined)
		ipa_update_overall_fn_summary(root->inlined_to ? root->inlined_to : root);
	return inlined;
}

const pass_data path_inline_pass_data = {
	IPA_PASS, "olayout_path_inline", OPTGROUP_NONE, TV_NONE, 0, 0, 0, 0, 0,
};

class path_inline_pass : public ipa_opt_pass_d {
public:
	explicit path_inline_pass(gcc::context *ctxt)
		: ipa_opt_pass_d(path_inline_pass_data, ctxt, NULL, NULL, NULL, NULL, NULL, NULL,
				 0, NULL, NULL)
	{
	}
	bool gate(function *) final override { return optimize > 0; }
	unsigned int execute(function *) final override;
};

/* The function path calls from itself (a layer right after itself, or the
   root as the first layer), or NULL. */
const char *recursive_layer(const struct ol_profile_path *path)
{
	for (size_t i = 0; i < path->n_layers; i++)
		if (strcmp(path->layers[i], i ? path->layers[i - 1] : path->root) == 0)
			return path->layers[i];
	return NULL;
}

unsigned int path_inline_pass::execute(function *)
{
	const struct ol_profile *profile = ol_cfg.profile;
	for (size_t i = 0; i < profile->n_paths; i++) {
		const struct ol_profile_path *path = &profile->paths[i];
		const char *rec = recursive_layer(path);
		if (rec) {
			warning_at(UNKNOWN_LOCATION, 0,
				   "olayout: path %qs is recursive (%qs calls itself): not inlined",
				   path->name, rec);
			continue;
		}
		auto_vec<cgraph_node *> roots = ol_functions_named(path->root, false);
		if (roots.is_empty() && flag_wpa)
			warning_at(UNKNOWN_LOCATION, 0,
				   "olayout: path %qs: root %qs is not in the program at the link "
				   "(not defined, or GCC inlined it early)",
				   path->name, path->root);
		else if (roots.is_empty())
			ol_note("path %s: root %s is not defined here (or GCC inlined it early)",
				path->name, path->root);
		char stop[1024] = "";
		for (cgraph_node *root : roots) {
			path_inliner inliner(path, root);
			int n = inliner.run(stop, sizeof stop);
			if (root->inlined_to)
				ol_note("path %s: %d call(s) inlined into %s (GCC inlined it into %s)",
					path->name, n, path->root, ol_fn_name(root->inlined_to->decl));
			else
				ol_note("path %s: %d call(s) inlined into %s", path->name, n,
					path->root);
		}
		if (stop[0]) /* once per path, not per copy of its root */
			warning_at(UNKNOWN_LOCATION, 0, "olayout: path %qs stops at %s", path->name,
				   stop);
	}
	return 0;
}

/* Whether fn is among frontier's names. */
bool among(const vec<const char *> &frontier, const char *fn)
{
	for (const char *f : frontier)
		if (strcmp(f, fn) == 0)
			return true;
	return false;
}

} // namespace

hash_set<nofree_string_hash> *ol_find_path_helpers(const struct ol_profile *p, double hot_ratio)
{
	hash_set<nofree_string_hash> *helpers = new hash_set<nofree_string_hash>;
	for (size_t i = 0; i < p->n_paths; i++) {
		const struct ol_profile_path *path = &p->paths[i];
		uint64_t runs = root_runs(p, path);
		if (!runs)
			continue;
		auto_vec<const char *> frontier;
		frontier.safe_push(path->root);
		for (size_t j = 0; j < path->n_layers; j++)
			frontier.safe_push(path->layers[j]);
		/* The helper rounds of path_inliner::run, on the profile's edges. */
		for (int round = 0; round < OL_HELPER_ROUNDS; round++) {
			auto_vec<const char *> next;
			for (size_t k = 0; k < p->n_edges; k++) {
				const struct ol_profile_edge *e = &p->edges[k];
				if ((double)e->count < hot_ratio * (double)runs ||
				    !among(frontier, e->caller))
					continue;
				helpers->add(e->callee);
				if (ol_profile_is_library(p, e->callee))
					continue; /* never copied: its calls are not the path's */
				if (!among(frontier, e->callee) && !among(next, e->callee))
					next.safe_push(e->callee);
			}
			frontier.safe_splice(next);
		}
	}
	return helpers;
}

bool ol_path_helper(const char *fn, bool library)
{
	const struct ol_profile *p = ol_cfg.profile;
	if (!p || !ol_cfg.helpers || ol_on_path(fn) || (!library && ol_profile_is_library(p, fn)))
		return false;
	return ol_cfg.helpers->contains(fn);
}

opt_pass *ol_make_path_inline_pass(gcc::context *ctxt)
{
	return new path_inline_pass(ctxt);
}
