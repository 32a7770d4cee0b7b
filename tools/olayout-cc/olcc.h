/* olcc.h - olayout-cc's settings and the steps from them to gcc's command. */
#ifndef OLCC_H
#define OLCC_H

#include <limits.h>

#define OLCC_MAX_ARGS 64
/* The -fplugin* strings besides the --olayout-arg ones: the plugin, the
   profile, the mode, fdo, block-order, switch-counts, block-ids and
   block-profile. */
#define OLCC_FIXED_OPTS 8

struct olcc {
	const char *cc;			 /* the compiler run */
	char profile[PATH_MAX];		 /* absolute, or "" */
	char block_profile[PATH_MAX];	 /* absolute, or "": block counts (needs profile) */
	const char *mode;		 /* outline, path-inline, both, or NULL */
	const char *fdo;		 /* the plugin's fdo pass: "on", "off" or "late" */
	const char *align;		 /* code alignment: "gcc" or "pack" */
	char plugin[PATH_MAX];		 /* the plugin's path, "" when not loaded */
	const char *args[OLCC_MAX_ARGS]; /* plugin options KEY[=VALUE] */
	int nargs;
	char *envargs;			 /* a copy of OLAYOUT_ARGS, split in place */
	char **argv;			 /* gcc's command, NULL-terminated */
	char *opts[OLCC_MAX_ARGS + OLCC_FIXED_OPTS]; /* the -fplugin* strings argv holds */
	int nopts;
};

/* Reads the environment and the --olayout-* options; 0, or -1 said on stderr. */
int olcc_parse(struct olcc *c, int argc, char **argv);
/* Finds the plugin when a profile or mode asks for it; 0, or -1 said. */
int olcc_plugin(struct olcc *c);
/* Fills c->argv, gcc's command; 0, or -1 said. */
int olcc_command(struct olcc *c, int argc, char **argv);
/* Frees what the steps allocated. */
void olcc_free(struct olcc *c);

#endif
