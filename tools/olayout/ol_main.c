/* ol_main.c - the olayout command line: subcommands and their help. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ol_cmd.h"
#include "ol_compare.h"
#include "ol_map.h"
#include "ol_paths.h"
#include "ol_rewrite.h"

static const char usage_main[] =
	"usage: olayout COMMAND [ARGS]\n"
	"  rewrite [--skip-unmovable] --layout FILE -o OUT EXE\n"
	"                                     apply a layout, write a new executable\n"
	"  verify EXE                         check code, relocations, symbols and FDEs\n"
	"  info [--json] EXE                  functions, fragments, clones\n"
	"  paths [--json] [--strict] --profile FILE EXE\n"
	"                                     a profile's paths as found in EXE\n"
	"  map [--cache GEOM] [--profile PROF] -o FILE.svg|FILE.png EXE [--vs EXE2]\n"
	"                                     a picture of the i-cache sets EXE's code maps to\n"
	"  compare [--cache GEOM]... [--runs N] [--bracketed] EXE_A EXE_B -- ARGS\n"
	"                                     instructions, I1 misses, counters, time: B/A\n"
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
	"usage: olayout paths [--json] [--strict] --profile FILE EXE\n"
	"For each path of the profile FILE (profiles/README.md): its root and layers in EXE\n"
	"(address, hot size, .cold size, clones for the path), the path's static hot size\n"
	"and the i-cache lines it touches per cache geometry; then the library functions.\n"
	"A function missing from EXE is a warning, with --strict an error.\n";

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

static int bad_usage(const char *cmd, const char *msg)
{
	fprintf(stderr, "olayout: %s\nTry 'olayout %s--help'.\n", msg, cmd);
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
 * comes from code that does not know the file: it gets EXE's name, so every
 * error names its input. */
static int done(int rc, const struct ol_err *err, const char *exe, const char *layout,
		const char *out)
{
	const char *msg = err->msg[0] ? err->msg : "failed";

	if (rc == 0)
		return 0;
	if (names(msg, exe) || names(msg, layout) || names(msg, out))
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
	if (!o.profile || !o.exe)
		return bad_usage("paths ", "paths: needs --profile FILE and EXE");
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
		if (strcmp(argv[i], "--cache") == 0 && i + 1 < argc &&
		    o.ncaches < OL_COMPARE_MAX_CACHES)
			o.caches[o.ncaches++] = argv[++i];
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
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
	return bad_usage("", "unknown command");
}
