/* ol_main.c - the olayout command line: subcommands and their help. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ol_cmd.h"
#include "ol_compare.h"
#include "ol_map.h"
#include "ol_paths.h"
#include "ol_prof_cmd.h"
#include "ol_rewrite.h"
#include "ol_tune.h"

static const char usage_main[] =
	"usage: olayout COMMAND [ARGS]\n"
	"  rewrite [--skip-unmovable] --layout FILE -o OUT EXE\n"
	"                                     apply a layout, write a new executable\n"
	"  verify EXE                         check code, relocations, symbols and FDEs\n"
	"  info [--json] EXE                  functions, fragments, clones\n"
	"  paths [--json] [--strict] --profile FILE [EXE]\n"
	"                                     a profile's paths as found in EXE (or as named)\n"
	"  map [--cache GEOM] [--profile PROF] -o FILE.svg|FILE.png EXE [--vs EXE2]\n"
	"                                     a picture of the i-cache sets EXE's code maps to\n"
	"  compare [--cache GEOM]... [--runs N] [--bracketed] EXE_A EXE_B -- ARGS\n"
	"                                     instructions, I1 misses, counters, time: B/A\n"
	"  plan --strategy S --profile PROF [--cache GEOM] [--strict] [--hot-align]\n"
	"       [-o LAYOUT] EXE\n"
	"                                     a layout for an i-cache from a profile\n"
	"  optimize --strategy S --profile PROF [--cache GEOM] [--strict] [--hot-align]\n"
	"           [--save-layout FILE] -o OUT EXE\n"
	"                                     plan, rewrite and verify in one step\n"
	"  profile -o PROF [OPTIONS] -- CMD [ARGS]\n"
	"                                     run CMD under callgrind (or read perf.data),\n"
	"                                     write a profile\n"
	"  tune --layout FILE [--cache GEOM] [--tries N] [--step BYTES]\n"
	"       [--save-layout FILE] -o OUT EXE -- CMD [ARGS]\n"
	"                                     the layout's start with the fewest\n"
	"                                     simulated I1 misses on CMD\n"
	"olayout COMMAND --help shows the help of one command.\n";
static const char usage_rewrite[] =
	"usage: olayout rewrite [--skip-unmovable] --layout FILE -o OUT EXE\n"
	"Places the functions, fragments and clones named in FILE (layout format v1,\n"
	"see tools/olayout/README.md) in a new text segment of OUT.\n"
	"A function FILE names that cannot move is an error (FILE:LINE: 'x' cannot\n"
	"move: REASON); with --skip-unmovable it stays where it is, with that warning.\n"
	"OUT, if it exists, must be a regular file or a symlink to one (its target is\n"
	"replaced).\n";
static const char usage_verify[] =
	"usage: olayout verify EXE\n"
	"Disassembles EXE and checks branch targets, relocations, symbols and FDEs;\n"
	"exit status 1 with the first problems listed.\n";
static const char usage_info[] =
	"usage: olayout info [--json] EXE\n"
	"Lists functions, their fragments and sizes, the clone table, and what cannot move.\n";

static const char usage_paths[] =
	"usage: olayout paths [--json] [--strict] --profile FILE [EXE]\n"
	"For each path of the profile FILE (profiles/README.md): its root and layers in EXE\n"
	"(address, hot size, .cold size, clones for the path), the path's static hot size\n"
	"and the i-cache lines it touches per cache geometry; then the library functions.\n"
	"A function missing from EXE is a warning, with --strict an error.\n"
	"Without EXE: each path's root and layers and the library functions as FILE\n"
	"names them (the scripts' reader of the format), nothing looked up.\n";

static const char usage_map[] =
	"usage: olayout map [--cache GEOM] [--profile PROF] -o FILE.svg|FILE.png EXE [--vs EXE2]\n"
	"Draws the i-cache GEOM (a cache PROF names, alpha21064 = 8192:1:32, modern =\n"
	"32768:8:64, or SIZE:WAYS:LINE; default: PROF's first cache, else alpha21064),\n"
	"one cell per set, coloured by the code mapping there: path (PROF's path roots\n"
	"and layers, or their clones), library (PROF's library marks), other hot (run in\n"
	"training), cold; without PROF every function is other and .cold fragments cold.\n"
	"Shaded by PROF's function instruction counts; a red border marks a set holding\n"
	"more hot lines than ways. --vs draws EXE2 beside EXE on the same scale.\n"
	"FILE.png goes through rsvg-convert (librsvg2-bin). Prints per executable:\n"
	"  map EXE cache NAME SIZE:WAYS:LINE sets N: path P, library L, other hot O,\n"
	"  cold only C, unused U, conflicting K\n";

static const char usage_compare[] =
	"usage: olayout compare [--cache GEOM]... [--runs N] [--bracketed] EXE_A EXE_B -- ARGS\n"
	"Runs EXE_A and EXE_B with ARGS (stdin /dev/null, an empty environment, both\n"
	"copied to paths of one length) under valgrind's callgrind, once per GEOM (as\n"
	"for map; default alpha21064), simulating that I1: instructions and I1 misses;\n"
	"--bracketed counts only between the programs' CALLGRIND_START/STOP_INSTRUMENTATION\n"
	"(--instr-atstart=no). Then `perf stat -e instructions,cycles,L1-icache-load-misses,\n"
	"iTLB-load-misses` where the machine counts them (else the table says they are\n"
	"missing and why), and N timed runs of each (default 5), A and B interleaved.\n"
	"Prints one table: metric, A, B, B/A. Both must exit with the same status (else\n"
	"exit 1); output that differs is a warning.\n";
#define PLAN_OPTS \
	"  --strategy S   std (nothing moves), bad (hot code of each path and the\n" \
	"                 library functions it calls on the same sets: conflicts on\n" \
	"                 purpose), pettis-hansen (Pettis & Hansen 1990), hfsort\n" \
	"                 (call-chain clustering, Ottoni & Maher 2017), cdsort\n" \
	"                 (cache-directed sort: chains merged by call distance and\n" \
	"                 density, as BOLT's -reorder-functions=cdsort; first fit\n" \
	"                 on free sets of a direct-mapped cache), bipartite\n" \
	"                 (path clones and library code on disjoint sets), color\n" \
	"                 (cache-line colouring: hot lines packed in call-chain\n" \
	"                 order onto sets no other hot code, libc's included, takes)\n" \
	"  --profile PROF a profile (profiles/README.md, versions 1 to 7)\n" \
	"  --cache GEOM   a cache the profile names, alpha21064, modern or\n" \
	"                 SIZE:WAYS:LINE such as 1024:1:32 (default: the profile's\n" \
	"                 first cache, else alpha21064)\n" \
	"  --strict       a profile function missing from EXE is an error, not a warning\n" \
	"  --hot-align    a unit that ran >= 1/1000 of the instructions and follows the\n" \
	"                 one before starts on a 64-byte boundary when that costs at\n" \
	"                 most min(32, its size) bytes (llvm-bolt's function alignment)\n"
static const char usage_plan[] =
	"usage: olayout plan --strategy S --profile PROF [--cache GEOM] [--strict]\n"
	"                    [--hot-align] [-o LAYOUT] EXE\n"
	"Writes a layout (format v1, tools/olayout/README.md) for EXE to LAYOUT (default\n"
	"stdout) and prints one summary line: hot bytes placed, cache sets used by path,\n"
	"library and other hot code and by code the plan cannot move (the profile's\n"
	"external code, unmovable code, the PLT), predicted conflicting sets, clones.\n"
	PLAN_OPTS;
static const char usage_optimize[] =
	"usage: olayout optimize --strategy S --profile PROF [--cache GEOM] [--strict]\n"
	"                        [--hot-align] [--save-layout FILE] -o OUT EXE\n"
	"Plans as `olayout plan` does, rewrites EXE into OUT and verifies OUT before it\n"
	"replaces OUT (on failure nothing is left behind); --save-layout keeps the plan.\n"
	PLAN_OPTS;
static const char usage_profile[] =
	"usage: olayout profile -o PROF [OPTIONS] [VALGRIND-OPTIONS] -- CMD [ARGS...]\n"
	"       olayout profile -o PROF [OPTIONS] --from-callgrind FILE [--valgrind-log LOG] EXE\n"
	"       olayout profile -o PROF [OPTIONS] --from-perf PERF.DATA EXE\n"
	"       olayout profile -o PROF --merge PROF1 PROF2...\n"
	"Runs CMD under valgrind's callgrind (--dump-instr=yes --collect-jumps=yes) and\n"
	"writes a version 5 profile (6 with --copies, 7 with --blocks) (profiles/README.md)\n"
	"of the executable CMD runs: function counts, call edges (indirect calls too),\n"
	"line and cold-line entries (DWARF line table), the instructions that ran\n"
	"(insn), the conditional jumps' counts by source location (branch), cold\n"
	"functions, the hot code of shared objects (external) and the caches alpha21064\n"
	"and modern. OUT is written whole or not at all.\n"
	"  --paths N            propose up to N paths and their library marks\n"
	"  --copies             a version 6 profile with a copy entry per inlined copy of\n"
	"                       a source line (DWARF inline chains): whether that copy ran;\n"
	"                       no DWARF is an error\n"
	"  --blocks             a version 7 profile with a block entry per basic block of\n"
	"                       each function that ran and that EXE's .olayout.blockids\n"
	"                       section lists (built with the plugin's block-ids: the\n"
	"                       ids are the line table's discriminators): the count of\n"
	"                       its rows' first instruction (the largest where it has\n"
	"                       several); no such section is an error\n"
	"  --training RUNS      how many times the measured unit ran (a training entry)\n"
	"  --exe EXE            profile EXE among the processes CMD starts (a test suite:\n"
	"                       -- make check): valgrind follows every child, and the runs\n"
	"                       of EXE's file (not another program of its name) are summed\n"
	"  --instr-atstart=no   measure only between the program's\n"
	"                       CALLGRIND_START_INSTRUMENTATION and _STOP_ requests\n"
	"  --toggle-collect=FN  measure only inside FN (repeatable; collection starts off)\n"
	"  --from-callgrind FILE  convert an existing run of EXE (made with --dump-instr=yes);\n"
	"                       --valgrind-log LOG (its valgrind -v -v log) adds external entries\n"
	"  --from-perf PERF.DATA  convert `perf record` samples of EXE (one event; -e cpu-clock\n"
	"                       works without hardware counters), read through `perf script`:\n"
	"                       a version 3 profile whose counts are samples, not instructions\n"
	"                       (`samples EVENT`); call edges from callchains (record with -g or\n"
	"                       --call-graph dwarf); no cold or external entries (code no\n"
	"                       sample hit may have run); LBR branch records are not read\n"
	"  --merge              sum the profiles PROF1 PROF2... of one executable (samples\n"
	"                       add up with samples of the same event only)\n";

static const char usage_tune[] =
	"usage: olayout tune --layout FILE [--cache GEOM] [--tries N] [--step BYTES]\n"
	"                    [--save-layout FILE] -o OUT EXE -- CMD [ARGS...]\n"
	"Rewrites EXE with the layout FILE (from `olayout plan`) TRIES times, 0, STEP,\n"
	"... (TRIES - 1) x STEP bytes added to its first place's pad, verifies each as\n"
	"OUT and runs CMD (OUT itself, or a script or test suite that runs it) under\n"
	"callgrind's simulation of the cache GEOM, counting the I1 misses of every run of\n"
	"OUT's file among the processes CMD starts; OUT is left as the try with the\n"
	"fewest (the first of equals), which it prints with its misses against try 1's.\n"
	"Where the hot code starts against the shared libraries' hot code moves the\n"
	"misses; a plan's cost model does not see it. Train on a workload, judge on\n"
	"another: the choice is the training's. CMD must end alike in every try.\n"
	"On failure OUT is removed if a try replaced it.\n"
	"  --cache GEOM          alpha21064, modern or SIZE:WAYS:LINE (default modern)\n"
	"  --tries N             how many starts (1 to 64, default 16)\n"
	"  --step BYTES          bytes between starts (1 to 65536, default 256)\n"
	"  --save-layout FILE    write the chosen layout (FILE with its pad) there\n";
/* A number macro as a string literal, for messages that quote a limit. */
#define OL_STR_(x) #x
#define OL_STR(x) OL_STR_(x)

/* bad_usage: a bad command line: one line, the message (FMT, printf's) and
 * where the usage is, as lib/py/ol_args.py's scripts and olayout-cc say it;
 * exit status 2. */
static int bad_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("olayout: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (olayout %s--help)\n", cmd);
	return 2;
}

/* names: MSG begins with FILE, followed by ':' or '.' (FILE.tmp.XXXXXX). */
static bool names(const char *msg, const char *file)
{
	size_t n = file ? strlen(file) : 0;

	return file && strncmp(msg, file, n) == 0 && (msg[n] == ':' || msg[n] == '.');
}

/* done: print the error of a failed command. A message that does not begin
 * with one of the command's files (EXE, the layout, OUT or OUT's temp file)
 * or with the option at fault ("--cache ...") comes from code that does not
 * know the file: it gets EXE's name, so every error names its input. */
static int done(int rc, const struct ol_err *err, const char *exe, const char *layout,
		const char *out)
{
	const char *msg = err->msg[0] ? err->msg : "failed";

	if (rc == 0)
		return 0;
	if (names(msg, exe) || names(msg, layout) || names(msg, out) || strncmp(msg, "--", 2) == 0)
		fprintf(stderr, "olayout: %s\n", msg);
	else
		fprintf(stderr, "olayout: %s: %s\n", exe, msg);
	return 1;
}

static bool is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

static int cmd_rewrite(int argc, char **argv, struct ol_err *err)
{
	const char *layout = NULL, *out = NULL, *exe = NULL;
	struct ol_rewrite_opts o = { .skip_unmovable = false };

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage_rewrite, stdout);
			return 0;
		}
		if (strcmp(argv[i], "--skip-unmovable") == 0)
			o.skip_unmovable = true;
		else if ((strcmp(argv[i], "--layout") == 0 || strcmp(argv[i], "-o") == 0) && i + 1 < argc) {
			*(argv[i][1] == 'o' ? &out : &layout) = argv[i + 1];
			i++;
		} else if (argv[i][0] == '-')
			return bad_usage("rewrite ", "rewrite: unknown option or missing value");
		else if (exe)
			return bad_usage("rewrite ", "rewrite: more than one EXE");
		else
			exe = argv[i];
	}
	if (!layout || !out || !exe)
		return bad_usage("rewrite ", "rewrite: needs --layout FILE, -o OUT and EXE");
	return done(ol_rewrite(exe, layout, out, &o, err), err, exe, layout, out);
}

static int cmd_verify(int argc, char **argv, struct ol_err *err)
{
	if (argc == 2 && is_help(argv[1])) {
		fputs(usage_verify, stdout);
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-')
		return bad_usage("verify ", "verify: needs one EXE");
	return done(ol_cmd_verify(argv[1], err), err, argv[1], NULL, NULL);
}

static int cmd_info(int argc, char **argv, struct ol_err *err)
{
	bool json = false;
	const char *exe = NULL;

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage_info, stdout);
			return 0;
		}
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (argv[i][0] == '-' || exe)
			return bad_usage("info ", "info: unknown option or more than one EXE");
		else
			exe = argv[i];
	}
	if (!exe)
		return bad_usage("info ", "info: needs EXE");
	return done(ol_cmd_info(exe, json, err), err, exe, NULL, NULL);
}

static int cmd_paths(int argc, char **argv, struct ol_err *err)
{
	struct ol_paths_opts o = { 0 };

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage_paths, stdout);
			return 0;
		}
		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "--strict") == 0)
			*(argv[i][2] == 'j' ? &o.json : &o.strict) = true;
		else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
			o.profile = argv[++i];
		else if (argv[i][0] == '-' || o.exe)
			return bad_usage("paths ", "paths: unknown option, missing value or more than one EXE");
		else
			o.exe = argv[i];
	}
	if (!o.profile)
		return bad_usage("paths ", "paths: needs --profile FILE");
	if (o.strict && !o.exe)
		return bad_usage("paths ", "paths: --strict needs EXE to look the names up in");
	return done(ol_cmd_paths(&o, err), err, o.exe, o.profile, NULL);
}

static int cmd_map(int argc, char **argv, struct ol_err *err)
{
	struct ol_map_opts o = { 0 };
	int rc;

	for (int i = 1; i < argc; i++) {
		const char **val = strcmp(argv[i], "--cache") == 0     ? &o.cache
				   : strcmp(argv[i], "--profile") == 0 ? &o.profile
				   : strcmp(argv[i], "-o") == 0	       ? &o.out
				   : strcmp(argv[i], "--vs") == 0      ? &o.vs
								       : NULL;

		if (is_help(argv[i])) {
			fputs(usage_map, stdout);
			return 0;
		}
		if (val && i + 1 < argc)
			*val = argv[++i];
		else if (argv[i][0] == '-' || o.exe)
			return bad_usage("map ", "map: unknown option, missing value or more than one EXE");
		else
			o.exe = argv[i];
	}
	if (!o.out || !o.exe)
		return bad_usage("map ", "map: needs -o FILE.svg and EXE");
	rc = ol_cmd_map(&o, err);
	/* an error about EXE2 names EXE2 */
	return done(rc, err, names(err->msg, o.vs) ? o.vs : o.exe, o.profile, o.out);
}

static int cmd_compare(int argc, char **argv, struct ol_err *err)
{
	struct ol_compare_opts o = { .runs = 5 };
	int i = 1, rc;

	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		char *end;

		if (is_help(argv[i])) {
			fputs(usage_compare, stdout);
			return 0;
		}
		if (strcmp(argv[i], "--cache") == 0 && i + 1 < argc) {
			if (o.ncaches == OL_COMPARE_MAX_CACHES)
				return bad_usage("compare ", "compare: at most " OL_STR(OL_COMPARE_MAX_CACHES)
							     " --cache options");
			o.caches[o.ncaches++] = argv[++i];
		} else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			long n = strtol(argv[++i], &end, 10);

			if (*end || n < 1 || n > 1000)
				return bad_usage("compare ", "compare: --runs wants 1 to 1000");
			o.runs = (int)n;
		} else if (strcmp(argv[i], "--bracketed") == 0)
			o.bracketed = true;
		else if (argv[i][0] == '-' || o.exe_b)
			return bad_usage("compare ", "compare: unknown option, missing value or more than two EXEs");
		else
			*(o.exe_a ? &o.exe_b : &o.exe_a) = argv[i];
	}
	if (!o.exe_b || i == argc)
		return bad_usage("compare ", "compare: needs EXE_A EXE_B -- ARGS");
	if (o.ncaches == 0)
		o.caches[o.ncaches++] = "alpha21064";
	o.args = argv + i + 1;
	o.nargs = argc - i - 1;
	rc = ol_cmd_compare(&o, err);
	return done(rc, err, names(err->msg, o.exe_b) ? o.exe_b : o.exe_a, NULL, NULL);
}

/* same_file: a and b name one existing file (a may be NULL). */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* plan_args: the options of plan and optimize; 0, or an exit status. */
static int plan_args(int argc, char **argv, bool optimize, struct ol_plan_opts *o)
{
	const char *cmd = optimize ? "optimize " : "plan ", *name = optimize ? "optimize" : "plan";

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool val = i + 1 < argc;

		if (is_help(a)) {
			fputs(optimize ? usage_optimize : usage_plan, stdout);
			return -1;
		}
		if (strcmp(a, "--strict") == 0)
			o->strict = true;
		else if (strcmp(a, "--hot-align") == 0)
			o->hot_align = true;
		else if (strcmp(a, "--strategy") == 0 && val)
			o->strategy = argv[++i];
		else if (strcmp(a, "--profile") == 0 && val)
			o->profile = argv[++i];
		else if (strcmp(a, "--cache") == 0 && val)
			o->cache = argv[++i];
		else if (strcmp(a, "-o") == 0 && val)
			o->out = argv[++i];
		else if (optimize && strcmp(a, "--save-layout") == 0 && val)
			o->save_layout = argv[++i];
		else if (a[0] == '-' || o->exe)
			return bad_usage(cmd, "%s: unknown option, missing value or more than one EXE", name);
		else
			o->exe = a;
	}
	if (!o->strategy || !o->profile || !o->exe || (optimize && !o->out))
		return bad_usage(cmd, optimize ? "optimize: needs --strategy S, --profile PROF, -o OUT and EXE"
					       : "plan: needs --strategy S, --profile PROF and EXE");
	if (!ol_plan_known(o->strategy))
		return bad_usage(cmd, "%s: unknown strategy '%s': want std, bad, pettis-hansen, hfsort, cdsort, "
				 "bipartite or color", name, o->strategy);
	/* an output written over an input would destroy it (gcc -o x.c x.c is refused too) */
	const char *layout = optimize ? o->save_layout : o->out;
	if (same_file(layout, o->exe) || same_file(layout, o->profile) ||
	    (optimize && (same_file(o->out, o->profile) ||
			  (layout && (strcmp(layout, o->out) == 0 || same_file(layout, o->out))))))
		return bad_usage(cmd, optimize ? "optimize: OUT or --save-layout names an input, or each other"
					       : "plan: -o LAYOUT names EXE or PROF");
	return 0;
}

static int cmd_plan(int argc, char **argv, bool optimize, struct ol_err *err)
{
	struct ol_plan_opts o = { 0 };
	int rc = plan_args(argc, argv, optimize, &o);

	if (rc)
		return rc < 0 ? 0 : rc;
	rc = optimize ? ol_cmd_optimize(&o, err) : ol_cmd_plan(&o, err);
	return done(rc, err, o.exe, o.profile, o.out);
}

/* A decimal option value from 1 to max. */
static bool count_arg(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v = s[0] >= '0' && s[0] <= '9' ? strtoull(s, &end, 10) : 0;
	if (v < 1 || v > max || *end)
		return false;
	*out = v;
	return true;
}

static int profile_args(int argc, char **argv, struct ol_prof_opts *o, char **pos, size_t *npos,
			bool *merge)
{
	uint64_t v;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--") == 0) {
			o->cmd = argv + i + 1;
			o->ncmd = (size_t)(argc - i - 1);
			return o->ncmd ? 0 : bad_usage("profile ", "profile: no command after --");
		}
		if (strcmp(a, "--merge") == 0)
			*merge = true;
		else if (strcmp(a, "--copies") == 0)
			o->copies = true;
		else if (strcmp(a, "--blocks") == 0)
			o->blocks = true;
		else if (strcmp(a, "--instr-atstart=no") == 0 || strncmp(a, "--toggle-collect=", 17) == 0) {
			if (strchr(a, '=')[1] == '\0')
				return bad_usage("profile ", "profile: --toggle-collect= needs FN");
			o->vgopts[o->nvgopts++] = argv[i];
		} else if (a[0] != '-')
			pos[(*npos)++] = argv[i];
		else if (!val)
			return bad_usage("profile ", "profile: unknown option or missing value");
		else if (strcmp(a, "-o") == 0)
			o->out = argv[++i];
		else if (strcmp(a, "--exe") == 0)
			o->exe = argv[++i];
		else if (strcmp(a, "--from-callgrind") == 0)
			o->callgrind = argv[++i];
		else if (strcmp(a, "--valgrind-log") == 0)
			o->vglog = argv[++i];
		else if (strcmp(a, "--from-perf") == 0)
			o->perf = argv[++i];
		else if (strcmp(a, "--paths") == 0 && count_arg(val, 1000, &v) && ++i)
			o->paths = (unsigned)v;
		else if (strcmp(a, "--training") == 0 && count_arg(val, UINT64_MAX, &v) && ++i)
			o->training = v;
		else
			return bad_usage("profile ", "profile: unknown option or bad value");
	}
	return 0;
}

/* tune_args: the options before "--" and the command after it. */
static int tune_args(int argc, char **argv, struct ol_tune_opts *o)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : "";
		uint64_t v;

		if (strcmp(a, "--layout") == 0 && ++i)
			o->layout = val;
		else if (strcmp(a, "--cache") == 0 && ++i)
			o->cache = val;
		else if (strcmp(a, "--save-layout") == 0 && ++i)
			o->save_layout = val;
		else if (strcmp(a, "-o") == 0 && ++i)
			o->out = val;
		else if (strcmp(a, "--tries") == 0 && count_arg(val, 64, &v) && ++i)
			o->tries = (unsigned)v;
		else if (strcmp(a, "--step") == 0 && count_arg(val, 65536, &v) && ++i)
			o->step = v;
		else if (a[0] == '-' || o->exe)
			return bad_usage("tune ", "tune: unknown option, bad value or more than one EXE");
		else
			o->exe = a;
	}
	o->cmd = i + 1 < argc ? argv + i + 1 : NULL;
	o->ncmd = i + 1 < argc ? (size_t)(argc - i - 1) : 0;
	if (!o->layout || !o->out || !o->exe || !o->cmd)
		return bad_usage("tune ", "tune: needs --layout FILE, -o OUT, EXE and -- CMD");
	if (same_file(o->out, o->exe) || same_file(o->out, o->layout) ||
	    (o->save_layout && (same_file(o->save_layout, o->exe) || strcmp(o->save_layout, o->out) == 0 ||
				same_file(o->save_layout, o->out))))
		return bad_usage("tune ", "tune: OUT or --save-layout names an input, or each other");
	return 0;
}

static int cmd_tune(int argc, char **argv, struct ol_err *err)
{
	struct ol_tune_opts o = { .tries = 16, .step = 256 };
	int rc;

	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (is_help(argv[i])) {
			fputs(usage_tune, stdout);
			return 0;
		}
	rc = tune_args(argc, argv, &o);
	if (rc == 0)
		rc = done(ol_cmd_tune(&o, err), err, o.exe, o.layout, o.out);
	return rc;
}

/* The forms: run (-- CMD), convert (--from-callgrind FILE EXE, --from-perf
 * PERF.DATA EXE), merge (--merge PROF...). */
static int cmd_profile(int argc, char **argv, struct ol_err *err)
{
	struct ol_prof_opts o = { 0 };
	char **pos = calloc((size_t)argc, sizeof *pos);
	size_t npos = 0;
	bool merge = false;

	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (is_help(argv[i])) {
			free(pos);
			fputs(usage_profile, stdout);
			return 0;
		}
	o.vgopts = calloc((size_t)argc, sizeof *o.vgopts);
	int rc = pos && o.vgopts ? profile_args(argc, argv, &o, pos, &npos, &merge)
				 : (fputs("olayout: out of memory\n", stderr), 1);
	const char *why = NULL;
	if (rc == 0 && !o.out)
		why = "profile: needs -o PROF";
	else if (rc == 0 && merge && (npos == 0 || o.cmd || o.callgrind || o.perf || o.nvgopts || o.paths ||
				      o.copies || o.blocks))
		why = "profile: --merge takes PROF files only";
	else if (rc == 0 && o.callgrind && o.perf)
		why = "profile: --from-callgrind or --from-perf, not both";
	else if (rc == 0 && (o.copies || o.blocks) && o.perf)
		why = o.copies ? "profile: --copies needs instruction counts: an instruction no sample hit may have run"
			       : "profile: --blocks needs instruction counts: an instruction no sample hit may have run";
	else if (rc == 0 && (o.callgrind || o.perf) && (npos != 1 || o.cmd || o.nvgopts))
		why = o.perf ? "profile: --from-perf PERF.DATA needs one EXE and no command"
			     : "profile: --from-callgrind FILE needs one EXE and no command";
	else if (rc == 0 && !merge && !o.callgrind && !o.perf && (npos || !o.cmd))
		why = "profile: needs -- CMD [ARGS] (or --from-callgrind, --from-perf, --merge)";
	else if (rc == 0 && o.vglog && !o.callgrind)
		why = "profile: --valgrind-log goes with --from-callgrind";
	if (why)
		rc = bad_usage("profile ", "%s", why);
	if (rc == 0) {
		if (merge) {
			o.merge = pos;
			o.nmerge = npos;
		} else if (o.callgrind || o.perf)
			o.exe = pos[0];
		rc = ol_cmd_profile(&o, err);
		if (rc < 0)
			fprintf(stderr, "olayout: %s\n", err->msg[0] ? err->msg : "profile failed");
		rc = rc < 0;
	}
	free(pos);
	free(o.vgopts);
	return rc;
}

int main(int argc, char **argv)
{
	struct ol_err err = { { 0 } };

	if (argc < 2)
		return bad_usage("", "missing command");
	if (is_help(argv[1])) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(argv[1], "rewrite") == 0)
		return cmd_rewrite(argc - 1, argv + 1, &err);
	if (strcmp(argv[1], "verify") == 0)
		return cmd_verify(argc - 1, argv + 1, &err);
	if (strcmp(argv[1], "info") == 0)
		return cmd_info(argc - 1, argv + 1, &err);
	if (strcmp(argv[1], "paths") == 0)
		return cmd_paths(argc - 1, argv + 1, &err);
	if (strcmp(argv[1], "map") == 0)
		return cmd_map(argc - 1, argv + 1, &err);
	if (strcmp(argv[1], "compare") == 0)
		return cmd_compare(argc - 1, argv + 1, &err);
	if (strcmp(argv[1], "plan") == 0 || strcmp(argv[1], "optimize") == 0)
		return cmd_plan(argc - 1, argv + 1, argv[1][0] == 'o', &err);
	if (strcmp(argv[1], "profile") == 0)
		return cmd_profile(argc - 1, argv + 1, &err);
	if (strcmp(argv[1], "tune") == 0)
		return cmd_tune(argc - 1, argv + 1, &err);
	return bad_usage("", "unknown command '%s'", argv[1]);
}
