/*
 * olayout.cc - GCC plugin: profile-driven outlining and path-inlining.
 *
 * Outlining: blocks that never ran in training (profile cold-line), blocks
 * that call noreturn or cold functions (or functions the profile names
 * cold-function), and the unexpected side of __builtin_expect become cold
 * with every block they dominate; GCC's own hot/cold partitioning (bbpart)
 * then moves them to fn.cold in .text.unlikely. Functions named
 * cold-function get the cold attribute and go to .text.unlikely whole.
 *
 * Training counts (fdo pass, fdo.cc): the branch probabilities of every
 * function the profile has counts for come from the training counts of
 * its source lines, as AutoFDO does with samples, so that GCC's block
 * ordering, hot/cold decisions and inliner follow what ran.
 *
 * Path-inlining: for every path of the profile, each call along it is
 * inlined into the path's root; an indirect call (a layer crossing through
 * a function pointer) first becomes a guarded direct call to the path's
 * next function (GCC's speculative call, expanded by gimple_ic); then the
 * helpers the path calls often in training (not library functions) are
 * copied in where the copy is small; the root goes to .text.hot, and with
 * inline-only the never-run blocks of what was inlined into it are
 * outlined after inlining; then (icp.cc) every indirect call that went to
 * one function in training becomes a guarded direct call to it, inlined
 * when small. Other callers keep the out-of-line
 * copies of the path's functions. Paths across files need -flto with the
 * plugin given at compile time (outlining, training counts) and at link
 * time (path-inlining).
 *
 * Options (-fplugin-arg-olayout-KEY[=VALUE]):
 *   profile=FILE   the profile (format: profiles/README.md)
 *   copies=FILE    a profile of a build of this program by the plugin whose
 *                  copy entries say which inlined copies of a line ran
 *                  (copies.cc; default: the profile's own copy entries)
 *   outline-only   run the outline pass only
 *   inline-only    run the path-inline pass only
 *   fdo=on|off|late  branch probabilities from training counts (default on:
 *                  before inlining; late: after the last GIMPLE pass)
 *   loops=on|off   the paths' hot loops unrolled by their trained trip counts
 *                  (default on; loops.cc)
 *   block-order=gcc|exttsp|exttsp-warm  the blocks of the functions that ran in
 *                  training in GCC's order (default) or by ext-TSP (blockorder.cc);
 *                  exttsp-warm: then the rare blocks (cold-runs, cold-ppm, cold-ratio)
 *                  after all the hot ones (olayout-cc's default)
 *   switch-counts=on|off  fdo=late: a switch with exits the outline pass sent
 *                  to .cold takes its other exits' probabilities from their
 *                  training counts (default off; olayout-cc's on; fdo.cc)
 *   split-cold=off|never|rare  with block-profile: the blocks of a function's
 *                  hot part whose block entries say they never ran (rare: or
 *                  ran fewer times than exttsp-warm's rare count) go to its
 *                  cold partition, fn.cold, whose blocks that ran go first
 *                  in it (blocksplit.cc, blockorder.cc; default off)
 *   block-ids      every block's index as its discriminator in the line table,
 *                  the functions named in .olayout.blockids (blockids.cc)
 *   block-profile=FILE  block counts (olayout profile --blocks of a build with
 *                  block-ids, trained) for block-order=exttsp (blockprofile.cc);
 *                  turns block-ids on
 *   verbose        say on stderr what is done and what is skipped, and why
 *   report=FILE    write, per function, hot bytes and instructions before and
 *                  after outlining, and each path's inlining decisions
 *   min-ratio=R    inline (or promote) a call on a path only when it ran at
 *                  least R times per run of the path's root (default 0.1)
 *   cold-ratio=R   outline also blocks that ran fewer than R times per entry
 *                  of their function in training (default 0: only never-run)
 *   cold-runs=N    outline also blocks that ran fewer than N times per
 *                  training run (the profile's runs), however often their
 *                  function was entered (default 0)
 *   cold-ppm=R     outline also blocks that ran fewer than R times per million
 *                  instructions of training (the profile's function counts
 *                  summed): rare in proportion to the workload (default 0)
 *   hot-ratio=R    copy into the path a helper (a call that is no layer) that
 *                  ran at least R times per run of the root (default 0.5)...
 *   max-growth=N   ...when its copy adds at most N instructions (default 50)
 *   help           print this list
 *
 * Usage:
 *   gcc -O2 -fplugin=build/plugin/olayout.so \
 *       -fplugin-arg-olayout-profile=x.prof -c x.c
 */
#include "gcc-plugin.h"
#include "plugin-version.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "diagnostic-core.h"
#include "stringpool.h"
#include "attribs.h"
#include "olayout.h"

int plugin_is_GPL_compatible;

struct ol_config ol_cfg;

static const char help_text[] =
	"olayout: profile-driven outlining and path-inlining\n"
	"  -fplugin-arg-olayout-profile=FILE  the profile (profiles/README.md)\n"
	"  -fplugin-arg-olayout-copies=FILE   copy entries (olayout profile --copies) of a\n"
	"                                     trained build by the plugin: which inlined\n"
	"                                     copies of a line ran (after inlining)\n"
	"  -fplugin-arg-olayout-outline-only  outline pass only\n"
	"  -fplugin-arg-olayout-inline-only   path-inline pass only\n"
	"  -fplugin-arg-olayout-fdo=on|off|late  branch probabilities from training\n"
	"                                     counts (default on; late: after inlining,\n"
	"                                     for block order only)\n"
	"  -fplugin-arg-olayout-loops=on|off  unroll the paths' hot loops by their trained\n"
	"                                     trip counts (default on)\n"
	"  -fplugin-arg-olayout-block-order=gcc|exttsp|exttsp-warm  the trained functions'\n"
	"                                     blocks in GCC's order (default) or by ext-TSP, as\n"
	"                                     BOLT; exttsp-warm: rare blocks after the hot ones\n"
	"  -fplugin-arg-olayout-switch-counts=on|off  fdo=late: a switch with exits sent to\n"
	"                                     .cold takes trained probabilities for the\n"
	"                                     others (default off)\n"
	"  -fplugin-arg-olayout-block-ids     block indexes as discriminators in the line\n"
	"                                     table, for olayout profile --blocks (code unchanged)\n"
	"  -fplugin-arg-olayout-block-profile=FILE  block counts (olayout profile --blocks of\n"
	"                                     a build with block-ids) for block-order=exttsp\n"
	"  -fplugin-arg-olayout-split-cold=off|never|rare  with block-profile: a function's\n"
	"                                     blocks that never ran (rare: or rarely) to its\n"
	"                                     cold partition, fn.cold (default off)\n"
	"  -fplugin-arg-olayout-verbose       say what is done and skipped\n"
	"  -fplugin-arg-olayout-report=FILE   sizes per function, before/after; path decisions\n"
	"  -fplugin-arg-olayout-min-ratio=R   inline a path's call only when it ran at least\n"
	"                                     R times per run of the path's root (default 0.1)\n"
	"  -fplugin-arg-olayout-cold-ratio=R  outline blocks that ran fewer than R times per\n"
	"                                     entry of their function (default 0: never-run only)\n"
	"  -fplugin-arg-olayout-cold-runs=N   outline blocks that ran fewer than N times per\n"
	"                                     training run (default 0)\n"
	"  -fplugin-arg-olayout-cold-ppm=R    outline blocks that ran fewer than R times per\n"
	"                                     million instructions of training (default 0)\n"
	"  -fplugin-arg-olayout-hot-ratio=R   copy a helper the path calls at least R times per\n"
	"                                     run of its root into the path (default 0.5)...\n"
	"  -fplugin-arg-olayout-max-growth=N  ...when the copy adds at most N instructions\n"
	"                                     (default 50)\n"
	"  -fplugin-arg-olayout-help          this text\n";

static struct plugin_info ol_info = {"1", help_text};

void ol_note(const char *fmt, ...)
{
	if (!ol_cfg.verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("olayout: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* GCC names a clone after its origin plus a suffix that starts with a dot
   (f.isra, f.constprop, f.part.0, f.part.0.isra), and a C name has no dot. */
const char *ol_fn_name(tree decl)
{
	tree name = DECL_NAME(decl);
	if (!name)
		return "(anonymous)";
	const char *s = IDENTIFIER_POINTER(name), *dot = strchr(s, '.');
	return dot ? IDENTIFIER_POINTER(get_identifier_with_length(s, dot - s)) : s;
}

/* The symbol's name, as the symbol table has it: an asm("name") label's
   assembler name starts with '*' (no user label prefix added). */
const char *ol_asm_name(tree decl)
{
	const char *name = IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(decl));
	return name + (name[0] == '*');
}

/* Whether decl is such a clone by its name (see ol_fn_name). */
bool ol_is_clone_name(tree decl)
{
	tree name = DECL_NAME(decl);
	return name && strchr(IDENTIFIER_POINTER(name), '.');
}

void ol_path_note(const char *path, const char *action, const char *caller, const char *callee,
		  const char *why)
{
	ol_note("path %s: %s %s -> %s (%s)", path, action, caller, callee, why);
	if (ol_cfg.report_file)
		ol_report_add(xasprintf("path %s %s %s %s: %s\n", path, action, caller, callee, why));
}

bool ol_is_root(const char *fn)
{
	const struct ol_profile *p = ol_cfg.profile;
	for (size_t i = 0; p && i < p->n_paths; i++)
		if (strcmp(p->paths[i].root, fn) == 0)
			return true;
	return false;
}

bool ol_on_path(const char *fn)
{
	const struct ol_profile *p = ol_cfg.profile;
	for (size_t i = 0; p && i < p->n_paths; i++) {
		if (strcmp(p->paths[i].root, fn) == 0)
			return true;
		for (size_t j = 0; j < p->paths[i].n_layers; j++)
			if (strcmp(p->paths[i].layers[j], fn) == 0)
				return true;
	}
	return false;
}

/* Gives decl the attribute attr unless it has the conflicting one. */
static void mark_function_as(tree decl, const char *attr, const char *conflict, const char *mark)
{
	const char *name = ol_fn_name(decl);
	if (lookup_attribute(conflict, DECL_ATTRIBUTES(decl))) {
		ol_note("%s: profile says %s but it is %s: left alone", name, mark, conflict);
		return;
	}
	if (!lookup_attribute(attr, DECL_ATTRIBUTES(decl)))
		DECL_ATTRIBUTES(decl) =
			tree_cons(get_identifier(attr), NULL_TREE, DECL_ATTRIBUTES(decl));
	if (strcmp(attr, "noinline") == 0)
		DECL_UNINLINABLE(decl) = 1; /* what the attribute's handler would set */
	ol_note("%s: %s (profile %s)", name, attr, mark);
}

/* Whether the profile's cold-function mark holds for decl: its
   out-of-line copy never ran, and neither did its lines (a function GCC
   inlined in training, a static inline helper, ran in its callers while
   its own copy, if any, never did). say: a note when the lines overrule
   the mark. */
bool ol_cold_function(tree decl, bool say)
{
	const struct ol_profile *p = ol_cfg.profile;
	const char *name = ol_fn_name(decl);
	if (!p || !ol_profile_is_cold_function(p, name))
		return false;
	const struct function *fn = DECL_STRUCT_FUNCTION(decl);
	expanded_location start = expand_location(DECL_SOURCE_LOCATION(decl));
	if (!fn || !start.file)
		return true;
	expanded_location end = expand_location(fn->function_end_locus);
	if (!end.file || strcmp(end.file, start.file) != 0)
		return true;
	for (int line = start.line; line > 0 && line <= end.line; line++) {
		uint64_t count;
		if (ol_profile_line_count(p, start.file, (unsigned long)line, &count) && count) {
			if (say)
				ol_note("%s: cold-function, but its line %s:%d ran %llu times "
					"(inlined in training): not cold",
					name, start.file, line, (unsigned long long)count);
			return false;
		}
	}
	return true;
}

static bool is_path_root(const char *fn)
{
	const struct ol_profile *p = ol_cfg.profile;
	for (size_t i = 0; i < p->n_paths; i++)
		if (strcmp(p->paths[i].root, fn) == 0)
			return true;
	return false;
}

/* Whether fn ran in training without being entered: it was running when
   training started (the measured loop itself, xk_ping_round_trips). */
static bool ran_unentered(const char *fn)
{
	const struct ol_profile_function *f = ol_profile_find_function(ol_cfg.profile, fn);
	return f && !f->calls && f->insns;
}

/* Marks each function as it is parsed (streamed with it, the marks also
   hold at an -flto link):
   - cold-function -> cold: GCC places the function in .text.unlikely whole
     and predicts calls to it in this unit as unlikely;
   - ran but never entered -> hot: its callers never ran in training (they
     are cold-functions), and from them alone GCC's IPA took the measured
     loop for never executed and compiled it for size (tcpip OUT and ALL
     zeroed each round trip's message with `rep stos`);
   - a path's root -> noinline: the path inlined into it stays one function
     that olayout places and the report measures, not a part of whatever
     caller GCC would merge it into (a call per run of the path). */
static void mark_function(void *gcc_data, void *)
{
	tree decl = (tree)gcc_data;
	if (!decl || TREE_CODE(decl) != FUNCTION_DECL)
		return;
	const char *name = ol_fn_name(decl);
	if (ol_cfg.outline && ol_cold_function(decl, true))
		mark_function_as(decl, "cold", "hot", "cold-function");
	if (ol_cfg.outline && ran_unentered(name))
		mark_function_as(decl, "hot", "cold", "ran, never entered: the measured loop");
	if (ol_cfg.inline_paths && is_path_root(name))
		mark_function_as(decl, "noinline", "always_inline", "path root");
}

static void free_profile(void *, void *)
{
	delete ol_cfg.helpers;
	ol_cfg.helpers = NULL;
	if (ol_cfg.copies != ol_cfg.profile)
		ol_profile_free(const_cast<struct ol_profile *>(ol_cfg.copies));
	ol_cfg.copies = NULL;
	ol_profile_free(const_cast<struct ol_profile *>(ol_cfg.blocks));
	ol_cfg.blocks = NULL;
	ol_profile_free(const_cast<struct ol_profile *>(ol_cfg.profile));
	ol_cfg.profile = NULL;
}

/* key=FILE's profile, or NULL after error(): it must have some of the
   entries (*count) that `olayout profile --option` writes, of kind. */
static struct ol_profile *load_entries(const char *key, const char *file, size_t ol_profile::*count,
				       const char *kind, const char *option)
{
	struct ol_profile *p;
	char err[OL_PROFILE_ERR_MAX];
	if (ol_profile_load(file, &p, err, sizeof err) < 0) {
		error("%s", err);
		return NULL;
	}
	if (!(p->*count)) {
		error("olayout: %<%s=%s%>: the profile has no %s entries (write it with "
		      "%<olayout profile --%s%>)", key, file, kind, option);
		ol_profile_free(p);
		return NULL;
	}
	return p;
}

/* The copy entries: copies=FILE's (refused without any), or the
   profile's own; 0 or -1 after error(). */
static int load_copies(const char *file)
{
	if (!file) {
		ol_cfg.copies = ol_cfg.profile && ol_cfg.profile->n_copies ? ol_cfg.profile : NULL;
		return 0;
	}
	ol_cfg.copies = load_entries("copies", file, &ol_profile::n_copies, "copy", "copies");
	return ol_cfg.copies ? 0 : -1;
}

/* block-profile=FILE's block entries, for the block-order pass (so it
   needs profile= and block-order=exttsp; a file without block entries is
   refused); their ids are the blocks' discriminators, so block-ids goes
   on. 0 or -1 after error(). */
static int load_blocks(const char *file)
{
	if (!file) {
		if (ol_cfg.split == OL_SPLIT_OFF)
			return 0;
		error("olayout: %<split-cold=%> needs %<block-profile=%> (the blocks that never ran)");
		return -1;
	}
	if (!ol_cfg.profile || !ol_cfg.exttsp) {
		error("olayout: %<block-profile=%> needs %<profile=%> and %<block-order=exttsp%>");
		return -1;
	}
	ol_cfg.blocks = load_entries("block-profile", file, &ol_profile::n_blocks, "block", "blocks");
	ol_cfg.block_ids = true;
	return ol_cfg.blocks ? 0 : -1;
}

/* A number from 0 to most in text; 0 or -1. */
static int parse_real(const char *text, double most, double *out)
{
	char *end;
	errno = 0;
	double r = strtod(text, &end);
	if (errno || end == text || *end || !(r >= 0 && r <= most))
		return -1;
	*out = r;
	return 0;
}

/* The count below which a block that ran is rare, over the whole training:
   the larger of cold-runs (per training run) and cold-ppm (per million
   instructions the training ran); 0 when both are off. */
static uint64_t rare_below(const struct ol_profile *p)
{
	uint64_t runs = p->training ? p->training : 1, insns = 0;
	for (size_t i = 0; i < p->n_functions; i++)
		insns += p->functions[i].insns;
	return MAX((uint64_t)ol_cfg.cold_runs * runs, (uint64_t)(ol_cfg.cold_ppm * (double)insns / 1e6));
}

/* The options that take a fraction, and where each goes. */
static double *ratio_option(const char *key)
{
	if (strcmp(key, "min-ratio") == 0)
		return &ol_cfg.min_ratio;
	if (strcmp(key, "cold-ratio") == 0)
		return &ol_cfg.cold_ratio;
	if (strcmp(key, "hot-ratio") == 0)
		return &ol_cfg.hot_ratio;
	return NULL;
}

/* fdo's value (on, off, late); 0 or -1. */
static int parse_fdo(const char *text, enum ol_fdo *fdo)
{
	static const char *const names[] = {"off", "on", "late"};
	static const enum ol_fdo modes[] = {OL_FDO_OFF, OL_FDO_EARLY, OL_FDO_LATE};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(text, names[i]) == 0) {
			*fdo = modes[i];
			return 0;
		}
	return -1;
}

/* A whole number from 0 to 10000 in text (max-growth, cold-runs); 0 or -1. */
static int parse_growth(const char *text, int *growth)
{
	char *end;
	errno = 0;
	long n = strtol(text, &end, 10);
	if (errno || end == text || *end || n < 0 || n > 10000)
		return -1;
	*growth = (int)n;
	return 0;
}

/* split-cold's value; 0 or -1. */
static int parse_split(const char *text, enum ol_split *split)
{
	if (strcmp(text, "off") == 0)
		*split = OL_SPLIT_OFF;
	else if (strcmp(text, "never") == 0)
		*split = OL_SPLIT_NEVER;
	else if (strcmp(text, "rare") == 0)
		*split = OL_SPLIT_RARE;
	else
		return -1;
	return 0;
}

/* Reads the arguments; 0 or -1 after error(). */
static int parse_args(const struct plugin_name_args *info, const char **profile,
		      const char **copies, const char **blocks, bool *help)
{
	bool outline_only = false, inline_only = false;
	ol_cfg.min_ratio = OL_MIN_RATIO;
	ol_cfg.hot_ratio = OL_HOT_RATIO;
	ol_cfg.max_growth = OL_MAX_GROWTH;
	ol_cfg.fdo = OL_FDO_EARLY;
	ol_cfg.loops = true;
	for (int i = 0; i < info->argc; i++) {
		const char *key = info->argv[i].key, *value = info->argv[i].value;
		double *ratio = ratio_option(key);
		/* the two whole-number options */
		bool growth = strcmp(key, "max-growth") == 0 || strcmp(key, "cold-runs") == 0;
		bool fdo = strcmp(key, "fdo") == 0, ppm = strcmp(key, "cold-ppm") == 0;
		bool loops = strcmp(key, "loops") == 0, order = strcmp(key, "block-order") == 0;
		bool split = strcmp(key, "split-cold") == 0;
		bool on_off = loops || strcmp(key, "switch-counts") == 0;
		bool wants_value = strcmp(key, "profile") == 0 || strcmp(key, "report") == 0 ||
				   strcmp(key, "copies") == 0 || strcmp(key, "block-profile") == 0 ||
				   ratio || growth || fdo || ppm || on_off || order || split;
		bool flag = strcmp(key, "outline-only") == 0 || strcmp(key, "inline-only") == 0 ||
			    strcmp(key, "verbose") == 0 || strcmp(key, "help") == 0 ||
			    strcmp(key, "block-ids") == 0;
		if (!wants_value && !flag) {
			error("olayout: unknown option %<-fplugin-arg-%s-%s%> (try %<-fplugin-arg-%s-help%>)",
			      info->base_name, key, info->base_name);
			return -1;
		}
		if (wants_value && (!value || !*value)) {
			error("olayout: option %<-fplugin-arg-%s-%s%> needs %<=%s%>", info->base_name,
			      key, ratio ? "RATIO" : ppm ? "R" : growth ? "N" : fdo ? "on|off|late" : on_off ? "on|off"
			      : order ? "gcc|exttsp|exttsp-warm" : split ? "off|never|rare" : "FILE");
			return -1;
		}
		if (flag && value) {
			error("olayout: option %<-fplugin-arg-%s-%s%> takes no value",
			      info->base_name, key);
			return -1;
		}
		if (strcmp(key, "profile") == 0)
			*profile = value;
		else if (strcmp(key, "copies") == 0)
			*copies = value;
		else if (strcmp(key, "block-profile") == 0)
			*blocks = value;
		else if (strcmp(key, "report") == 0)
			ol_cfg.report_file = value;
		else if (ratio) {
			if (parse_real(value, 1, ratio) < 0) {
				error("olayout: %<%s=%s%>: want a number from 0 to 1", key, value);
				return -1;
			}
		} else if (ppm) {
			if (parse_real(value, 1e6, &ol_cfg.cold_ppm) < 0) {
				error("olayout: %<%s=%s%>: want a number from 0 to 1000000", key, value);
				return -1;
			}
		} else if (growth) {
			if (parse_growth(value, strcmp(key, "cold-runs") == 0 ? &ol_cfg.cold_runs
									    : &ol_cfg.max_growth) < 0) {
				error("olayout: %<%s=%s%>: want a whole number from 0 to 10000", key,
				      value);
				return -1;
			}
		} else if (fdo) {
			if (parse_fdo(value, &ol_cfg.fdo) < 0) {
				error("olayout: %<fdo=%s%>: want %<on%>, %<off%> or %<late%>", value);
				return -1;
			}
		} else if (on_off) {
			if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0) {
				error("olayout: %<%s=%s%>: want %<on%> or %<off%>", key, value);
				return -1;
			}
			*(loops ? &ol_cfg.loops : &ol_cfg.switch_counts) = strcmp(value, "on") == 0;
		} else if (order) {
			bool warm = strcmp(value, "exttsp-warm") == 0;
			if (strcmp(value, "gcc") != 0 && strcmp(value, "exttsp") != 0 && !warm) {
				error("olayout: %<block-order=%s%>: want %<gcc%>, %<exttsp%> or "
				      "%<exttsp-warm%>", value);
				return -1;
			}
			ol_cfg.exttsp = strcmp(value, "exttsp") == 0 || warm;
			ol_cfg.warm_last = warm;
		} else if (split) {
			if (parse_split(value, &ol_cfg.split) < 0) {
				error("olayout: %<split-cold=%s%>: want %<off%>, %<never%> or %<rare%>",
				      value);
				return -1;
			}
		} else if (strcmp(key, "outline-only") == 0)
			outline_only = true;
		else if (strcmp(key, "inline-only") == 0)
			inline_only = true;
		else if (strcmp(key, "verbose") == 0)
			ol_cfg.verbose = true;
		else if (strcmp(key, "block-ids") == 0)
			ol_cfg.block_ids = true;
		else
			*help = true;
	}
	if (outline_only && inline_only) {
		error("olayout: %<outline-only%> and %<inline-only%> exclude each other");
		return -1;
	}
	ol_cfg.outline = !inline_only;
	ol_cfg.inline_paths = !outline_only;
	return 0;
}

static void register_pass(const char *plugin, opt_pass *pass, const char *ref)
{
	struct register_pass_info info = {pass, ref, 1, PASS_POS_INSERT_AFTER};
	register_callback(plugin, PLUGIN_PASS_MANAGER_SETUP, NULL, &info);
}

int plugin_init(struct plugin_name_args *info, struct plugin_gcc_version *version)
{
	const char *profile_file = NULL, *copies_file = NULL, *blocks_file = NULL;
	bool help = false;

	if (!plugin_default_version_check(version, &gcc_version)) {
		error("olayout: built for GCC %s, not this compiler", gcc_version.basever);
		return 1;
	}
	register_callback(info->base_name, PLUGIN_INFO, NULL, &ol_info);
	/* After error() the compilation fails anyway; returning 0 spares the
	   user GCC's second line "failed to initialize plugin". */
	if (parse_args(info, &profile_file, &copies_file, &blocks_file, &help) < 0)
		return 0;
	if (help) {
		fputs(help_text, stderr);
		return 0;
	}
	if (profile_file) {
		struct ol_profile *p;
		char err[OL_PROFILE_ERR_MAX];
		if (ol_profile_load(profile_file, &p, err, sizeof err) < 0) {
			error("%s", err);
			return 0;
		}
		ol_cfg.profile = p;
		ol_cfg.helpers = ol_find_path_helpers(p, ol_cfg.hot_ratio);
		ol_cfg.rare_below = rare_below(p);
		register_callback(info->base_name, PLUGIN_FINISH, free_profile, NULL);
	} else if (ol_cfg.inline_paths) {
		ol_note("no profile: path-inlining has no paths");
	}
	if (copies_file && !profile_file) {
		error("olayout: %<copies=%> needs %<profile=%>");
		return 0;
	}
	if (load_copies(copies_file) < 0 || load_blocks(blocks_file) < 0)
		return 0;

	if (ol_cfg.profile)
		register_callback(info->base_name, PLUGIN_FINISH_PARSE_FUNCTION, mark_function,
				  NULL);
	/* inline-only: the pass outlines the path's functions only (their
	   inlined copies) and gives the blocks their training counts */
	if (ol_cfg.outline || ol_cfg.profile)
		register_pass(info->base_name, ol_make_outline_pass(g, false), "profile_estimate");
	/* last of GIMPLE: blocks entered from blocks that run are counted */
	if (ol_cfg.profile)
		register_pass(info->base_name, ol_make_revive_pass(g), "optimized");
	/* Registered after the outline pass, it runs before it (each lands
	   right after profile_estimate): outlining then sees trained counts. */
	if (ol_cfg.fdo == OL_FDO_EARLY && ol_cfg.profile)
		register_pass(info->base_name, ol_make_fdo_pass(g, false), "profile_estimate");
	/* late: first of the GIMPLE passes after IPA inlining (after the
	   outline pass's second run, registered below), so that they and
	   the RTL passes see the trained probabilities, not the inliner */
	if (ol_cfg.fdo == OL_FDO_LATE && ol_cfg.profile)
		register_pass(info->base_name, ol_make_fdo_pass(g, true), "adjust_alignment");
	/* hot loops of the paths unrolled by their trained trips */
	if (ol_cfg.loops && ol_cfg.profile && ol_cfg.profile->n_paths) {
		register_pass(info->base_name, ol_make_loops_pass(g, false), "profile_estimate");
		register_pass(info->base_name, ol_make_loops_pass(g, true), "optimized");
	}
	/* the trained functions' blocks by ext-TSP, after GCC's order */
	if (ol_cfg.exttsp && ol_cfg.profile)
		register_pass(info->base_name, ol_make_blockorder_pass(g), "bbro");
	/* Registered after the block-order pass, it runs before it: the ids
	   are the indexes before that pass renumbers the blocks. */
	if (ol_cfg.block_ids)
		register_pass(info->base_name, ol_make_blockids_pass(g), "bbro");
	if (ol_cfg.inline_paths && ol_cfg.profile && ol_cfg.profile->n_paths) {
		/* Registered first, it runs after path-inlining: it sees the
		   indirect calls the path's bodies hold. */
		register_pass(info->base_name, ol_make_icp_pass(g), "inline");
		register_pass(info->base_name, ol_make_path_inline_pass(g), "inline");
		/* the bodies holding a path, after inlining: roots hot, and
		   with inline-only their inlined helpers outlined */
		register_pass(info->base_name, ol_make_outline_pass(g, true), "adjust_alignment");
	}
	if (ol_cfg.report_file) {
		register_pass(info->base_name, ol_make_size_pass(g), "final");
		register_callback(info->base_name, PLUGIN_FINISH, ol_write_report, NULL);
	}
	return 0;
}
