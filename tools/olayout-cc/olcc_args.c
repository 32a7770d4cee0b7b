/*
 * olcc_args.c - olayout-cc's settings: the environment first, then the
 * --olayout-* options, which win: a setting an option gives is not read
 * from the environment at all (a wrong value there does not matter then).
 * Every wrong value is one line and -1.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "olcc.h"

static const char *const modes[] = {"outline", "path-inline", "both"};

static int set_mode(struct olcc *c, const char *mode)
{
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
		if (!strcmp(mode, modes[i])) {
			c->mode = modes[i];
			return 0;
		}
	fprintf(stderr, "olayout-cc: mode '%s': use outline, path-inline or both\n", mode);
	return -1;
}

/* *slot = v, which must be one of the two words a and b (stored as the
   static a or b); what names the setting in the message. */
static int set_word(const char **slot, const char *what, const char *v, const char *a,
		    const char *b)
{
	if (strcmp(v, a) != 0 && strcmp(v, b) != 0) {
		fprintf(stderr, "olayout-cc: %s '%s': use %s or %s\n", what, v, a, b);
		return -1;
	}
	*slot = !strcmp(v, a) ? a : b;
	return 0;
}

static const char *const fdos[] = {"on", "off", "late"};

/* The plugin's fdo pass runs late (after inlining) unless told otherwise:
   on the packages of bench/results/external.md its branch probabilities
   before inlining cost more misses (xz-utils' decoder) and instructions
   (jq: GCC stopped inlining a hot helper) than they saved; after
   inlining xz-utils ran 1.5% fewer instructions and missed less. */
static int set_fdo(struct olcc *c, const char *v)
{
	for (size_t i = 0; i < sizeof fdos / sizeof fdos[0]; i++)
		if (!strcmp(v, fdos[i])) {
			c->fdo = fdos[i];
			return 0;
		}
	fprintf(stderr, "olayout-cc: fdo '%s': use on, off or late\n", v);
	return -1;
}

/* "pack" compiles without alignment padding (BOLT's re-emitted code has
   none either: it drops the NOPs); "gcc" keeps GCC's. */
static int set_align(struct olcc *c, const char *v)
{
	return set_word(&c->align, "align", v, "gcc", "pack");
}

/* A profile made absolute into dst (what: its name in the message): the
   build may compile in other directories. */
static int set_path(char *dst, const char *what, const char *path)
{
	if (!*path) {
		dst[0] = '\0';
		return 0;
	}
	if (!realpath(path, dst)) {
		fprintf(stderr, "olayout-cc: %s %s: %s\n", what, path, strerror(errno));
		return -1;
	}
	return 0;
}

static int add_arg(struct olcc *c, const char *arg)
{
	if (!*arg || arg[0] == '=') {
		fprintf(stderr, "olayout-cc: plugin option '%s': want KEY or KEY=VALUE\n", arg);
		return -1;
	}
	if (c->nargs == OLCC_MAX_ARGS) {
		fprintf(stderr, "olayout-cc: more than %d plugin options\n", OLCC_MAX_ARGS);
		return -1;
	}
	c->args[c->nargs++] = arg;
	return 0;
}

/* The environment variable name, unless an option (prefix opt, "=" and the
   value) in argv gives the same setting: then NULL. */
static const char *env_unless(const char *name, const char *opt, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], opt, strlen(opt)))
			return NULL;
	return getenv(name);
}

static int from_env(struct olcc *c, int argc, char **argv)
{
	const char *v = getenv("OLAYOUT_CC");
	c->cc = v && *v ? v : "gcc";
	c->fdo = "late";
	c->align = "gcc";
	if ((v = env_unless("OLAYOUT_PROFILE", "--olayout-profile=", argc, argv)) &&
	    set_path(c->profile, "profile", v) != 0)
		return -1;
	if ((v = env_unless("OLAYOUT_BLOCK_PROFILE", "--olayout-block-profile=", argc, argv)) &&
	    set_path(c->block_profile, "block profile", v) != 0)
		return -1;
	if ((v = env_unless("OLAYOUT_MODE", "--olayout-mode=", argc, argv)) && *v &&
	    set_mode(c, v) != 0)
		return -1;
	if ((v = env_unless("OLAYOUT_FDO", "--olayout-fdo=", argc, argv)) && *v && set_fdo(c, v) != 0)
		return -1;
	if ((v = env_unless("OLAYOUT_ALIGN", "--olayout-align=", argc, argv)) && *v &&
	    set_align(c, v) != 0)
		return -1;
	if (!(v = getenv("OLAYOUT_ARGS")))
		return 0;
	if (!(c->envargs = strdup(v))) {
		fputs("olayout-cc: out of memory\n", stderr);
		return -1;
	}
	for (char *save, *tok = strtok_r(c->envargs, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save))
		if (add_arg(c, tok) != 0)
			return -1;
	return 0;
}

int olcc_parse(struct olcc *c, int argc, char **argv)
{
	memset(c, 0, sizeof *c);
	if (from_env(c, argc, argv) != 0)
		return -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--olayout-", 10) != 0)
			continue;
		int rc;
		if (!strncmp(a, "--olayout-profile=", 18))
			rc = set_path(c->profile, "profile", a + 18);
		else if (!strncmp(a, "--olayout-block-profile=", 24))
			rc = set_path(c->block_profile, "block profile", a + 24);
		else if (!strncmp(a, "--olayout-mode=", 15))
			rc = set_mode(c, a + 15);
		else if (!strncmp(a, "--olayout-fdo=", 14))
			rc = set_fdo(c, a + 14);
		else if (!strncmp(a, "--olayout-align=", 16))
			rc = set_align(c, a + 16);
		else if (!strncmp(a, "--olayout-arg=", 14))
			rc = add_arg(c, a + 14);
		else {
			fprintf(stderr, "olayout-cc: unknown option %s (try olayout-cc --help)\n", a);
			rc = -1;
		}
		if (rc != 0)
			return -1;
	}
	/* block ids are those of the build the line profile drove */
	if (c->block_profile[0] && !c->profile[0]) {
		fputs("olayout-cc: a block profile needs the profile its build was made with "
		      "(--olayout-profile)\n", stderr);
		return -1;
	}
	return 0;
}
