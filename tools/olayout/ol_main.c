/* ol_main.c - the olayout command line: subcommands and their help. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ol_cmd.h"
#include "ol_paths.h"
#include "ol_prof_cmd.h"
#include "ol_rewrite.h"

static const char usage_main[] =
	"usage: olayout COMMAND [ARGS]\n"
	"  rewrite [--skip-unmovable] --layout FILE -o OUT EXE\n"
	"                                     apply a layout, write a new executable\n"
	"  verify EXE                         check code, relocations, symbols and FDEs\n"
	"  info [--json] EXE                  functions, fragments, clones\n"
	"  paths [--json] [--strict] --profile FILE EXE\n"
	"                                     a profile's paths as found in EXE\n"
	"  profile -o PROF [OPTIONS] -- CMD [ARGS]\n"
	"                                     run CMD under callgrind, write a profile\n"
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

static const char usage_profile[] =
	"usage: olayout profile -o PROF [OPTIONS] [VALGRIND-OPTIONS] -- CMD [ARGS...]\n"
	"       olayout profile -o PROF [OPTIONS] --from-callgrind FILE [--valgrind-log LOG] EXE\n"
	"       olayout profile -o PROF --merge PROF1 PROF2...\n"
	"Runs CMD under valgrind's callgrind (--dump-instr=yes --collect-jumps=yes) and\n"
	"writes a version 2 profile (profiles/README.md) of the executable CMD runs:\n"
	"function counts, call edges (indirect calls too), line and cold-line entries\n"
	"(DWARF line table), cold functions, the hot code of shared objects (external)\n"
	"and the caches alpha21064 and modern. OUT is written whole or not at all.\n"
	"  --paths N            propose up to N paths and their library marks\n"
	"  --training RUNS      how many times the measured unit ran (a training entry)\n"
	"  --exe EXE            the executable profiled, when CMD is not it\n"
	"  --instr-atstart=no   measure only between the program's\n"
	"                       CALLGRIND_START_INSTRUMENTATION and _STOP_ requests\n"
	"  --toggle-collect=FN  measure only inside FN (repeatable; collection starts off)\n"
	"  --from-callgrind FILE  convert an existing run of EXE (made with --dump-instr=yes);\n"
	"                       --valgrind-log LOG (its valgrind -v -v log) adds external entries\n"
	"  --merge              sum the profiles PROF1 PROF2... of one executable\n";

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
		else if (strcmp(a, "--paths") == 0 && count_arg(val, 1000, &v) && ++i)
			o->paths = (unsigned)v;
		else if (strcmp(a, "--training") == 0 && count_arg(val, UINT64_MAX, &v) && ++i)
			o->training = v;
		else
			return bad_usage("profile ", "profile: unknown option or bad value");
	}
	return 0;
}

/* The three forms: run (-- CMD), convert (--from-callgrind FILE EXE),
 * merge (--merge PROF...). */
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
	int rc = pos && o.vgopts ? profile_args(argc, argv, &o, pos, &npos, &merge) : 1;
	const char *why = NULL;
	if (rc == 0 && !o.out)
		why = "profile: needs -o PROF";
	else if (rc == 0 && merge && (npos == 0 || o.cmd || o.callgrind || o.nvgopts || o.paths))
		why = "profile: --merge takes PROF files only";
	else if (rc == 0 && o.callgrind && (npos != 1 || o.cmd || o.nvgopts))
		why = "profile: --from-callgrind FILE needs one EXE and no command";
	else if (rc == 0 && !merge && !o.callgrind && (npos || !o.cmd))
		why = "profile: needs -- CMD [ARGS] (or --from-callgrind, --merge)";
	else if (rc == 0 && o.vglog && !o.callgrind)
		why = "profile: --valgrind-log goes with --from-callgrind";
	if (why)
		rc = bad_usage("profile ", why);
	if (rc == 0) {
		if (merge) {
			o.merge = pos;
			o.nmerge = npos;
		} else if (o.callgrind)
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
	if (strcmp(argv[1], "profile") == 0)
		return cmd_profile(argc - 1, argv + 1, &err);
	return bad_usage("", "unknown command");
}
