/*
 * olcc_cmd.c - from olayout-cc's settings to gcc's command line:
 *   CC -ffunction-sections [-fplugin=SO -fplugin-arg-olayout-...] ARGS
 *      [-falign-functions=1 -falign-jumps=1 -falign-loops=1 -falign-labels=1]
 *      -Wl,--emit-relocs
 * The plugin is looked for before gcc runs, so a missing one is our error,
 * not a build that quietly goes on without it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "olcc.h"

/* The installed layout: PREFIX/bin/olayout-cc, PREFIX/lib/olayout/olayout.so. */
static int default_plugin(struct olcc *c)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0) {
		fprintf(stderr, "olayout-cc: cannot find where it runs from: %s (set OLAYOUT_PLUGIN)\n",
			strerror(errno));
		return -1;
	}
	self[n] = '\0';
	if ((size_t)snprintf(c->plugin, sizeof c->plugin, "%s/../lib/olayout/olayout.so",
			     dirname(self)) >= sizeof c->plugin) {
		fputs("olayout-cc: the plugin's path is too long (set OLAYOUT_PLUGIN)\n", stderr);
		return -1;
	}
	return 0;
}

int olcc_plugin(struct olcc *c)
{
	if (!c->profile[0] && !c->mode && !c->nargs)
		return 0;
	const char *env = getenv("OLAYOUT_PLUGIN");
	if (env && *env)
		snprintf(c->plugin, sizeof c->plugin, "%s", env);
	else if (default_plugin(c) != 0)
		return -1;
	struct stat st;
	const char *why = NULL;
	if (stat(c->plugin, &st) != 0)
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (access(c->plugin, R_OK) != 0)
		why = strerror(errno);
	if (why) {
		fprintf(stderr, "olayout-cc: cannot load the plugin %s: %s\n", c->plugin, why);
		return -1;
	}
	return 0;
}

/* Adds "-fplugin-arg-olayout-" KEY (or another prefix) as an owned string. */
static int add_opt(struct olcc *c, int *n, const char *pre, const char *val)
{
	size_t len = strlen(pre) + strlen(val) + 1;
	char *s = malloc(len);
	if (!s) {
		fputs("olayout-cc: out of memory\n", stderr);
		return -1;
	}
	snprintf(s, len, "%s%s", pre, val);
	c->opts[c->nopts++] = s;
	c->argv[(*n)++] = s;
	return 0;
}

static int plugin_opts(struct olcc *c, int *n)
{
	static const char arg[] = "-fplugin-arg-olayout-";
	if (!c->plugin[0])
		return 0;
	if (add_opt(c, n, "-fplugin=", c->plugin) != 0 ||
	    (c->profile[0] && add_opt(c, n, "-fplugin-arg-olayout-profile=", c->profile) != 0))
		return -1;
	if (c->mode && strcmp(c->mode, "both") != 0 &&
	    add_opt(c, n, arg, !strcmp(c->mode, "outline") ? "outline-only" : "inline-only") != 0)
		return -1;
	/* fdo reads the profile; before the --olayout-arg options, as the
	   plugin takes a key's last value */
	if (c->profile[0] && add_opt(c, n, "-fplugin-arg-olayout-fdo=", c->fdo) != 0)
		return -1;
	/* the trained functions' blocks by ext-TSP, the rarely run ones after
	   the hot ones (bench/results/external.md); --olayout-arg=block-order=
	   exttsp or gcc, after it, keeps ext-TSP's or GCC's order */
	if (c->profile[0] && add_opt(c, n, arg, "block-order=exttsp-warm") != 0)
		return -1;
	/* a switch with outlined exits (an interpreter's dispatch) takes
	   trained probabilities for the others; --olayout-arg=switch-counts=off
	   keeps GCC's guess */
	if (c->profile[0] && add_opt(c, n, arg, "switch-counts=on") != 0)
		return -1;
	/* every function's block ids in the line table (only .debug_line
	   changes), so that this build can be trained with olayout profile
	   --blocks; and that training's counts when given */
	if (c->profile[0] && add_opt(c, n, arg, "block-ids") != 0)
		return -1;
	if (c->block_profile[0] && add_opt(c, n, "-fplugin-arg-olayout-block-profile=",
					   c->block_profile) != 0)
		return -1;
	/* with block counts the blocks that never ran leave the hot part for
	   fn.cold, as BOLT's -split-all-cold (bench/results/external.md: I1
	   misses on modern below BOLT's on jq and zlib); --olayout-arg=
	   split-cold=off keeps them in line */
	if (c->block_profile[0] && add_opt(c, n, arg, "split-cold=never") != 0)
		return -1;
	for (int i = 0; i < c->nargs; i++)
		if (add_opt(c, n, arg, c->args[i]) != 0)
			return -1;
	return 0;
}

int olcc_command(struct olcc *c, int argc, char **argv)
{
	int n = 0;
	/* argc holds the build's flags; besides them gcc's name,
	   -ffunction-sections, the plugin's strings, 4 -falign-*,
	   --emit-relocs and the NULL */
	if (!(c->argv = calloc((size_t)argc + OLCC_MAX_ARGS + OLCC_FIXED_OPTS + 8,
			       sizeof *c->argv))) {
		fputs("olayout-cc: out of memory\n", stderr);
		return -1;
	}
	c->argv[n++] = (char *)c->cc;
	c->argv[n++] = "-ffunction-sections";
	if (plugin_opts(c, &n) != 0)
		return -1;
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "--olayout-", 10) != 0)
			c->argv[n++] = argv[i];
	/* after the build's own flags, so that they win over its -falign-* */
	if (!strcmp(c->align, "pack")) {
		static const char *const pack[] = {"-falign-functions=1", "-falign-jumps=1",
						   "-falign-loops=1", "-falign-labels=1"};
		for (size_t i = 0; i < sizeof pack / sizeof pack[0]; i++)
			c->argv[n++] = (char *)pack[i];
	}
	c->argv[n++] = "-Wl,--emit-relocs";
	c->argv[n] = NULL;
	return 0;
}

void olcc_free(struct olcc *c)
{
	for (int i = 0; i < c->nopts; i++)
		free(c->opts[i]);
	free(c->argv);
	free(c->envargs);
	memset(c, 0, sizeof *c);
}
