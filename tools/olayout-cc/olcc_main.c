/*
 * olcc_main.c - olayout-cc, the compiler driver a build system takes as its
 * CC: gcc with -ffunction-sections and -Wl,--emit-relocs (what olayout
 * needs), and with a profile or a mode the olayout GCC plugin. Everything
 * else goes to gcc untouched; gcc then replaces this process.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "olcc.h"

static const char usage[] =
	"usage: olayout-cc [--olayout-profile=PROF] [--olayout-block-profile=BPROF]\n"
	"                  [--olayout-mode=MODE]\n"
	"                  [--olayout-fdo=on|off|late] [--olayout-align=gcc|pack]\n"
	"                  [--olayout-arg=KEY[=VALUE]]...\n"
	"                  [GCC-ARGS...]\n"
	"A compiler driver for code olayout rewrites: runs gcc with GCC-ARGS\n"
	"untouched, plus -ffunction-sections and -Wl,--emit-relocs. Given a profile\n"
	"or a mode it loads the olayout GCC plugin in every compile and link (so\n"
	"-flto links get it too), driven by the profile. Use it as a build's CC:\n"
	"  make CC=olayout-cc    ./configure CC=olayout-cc\n"
	"  --olayout-profile=PROF  the profile (olayout profile -o PROF); made\n"
	"                          absolute here, it must exist (env OLAYOUT_PROFILE)\n"
	"  --olayout-block-profile=BPROF  block counts (olayout profile --blocks\n"
	"                          of a build made with the same PROF and options):\n"
	"                          the plugin's block order takes them, and the\n"
	"                          blocks that never ran go to fn.cold (needs\n"
	"                          --olayout-profile; env OLAYOUT_BLOCK_PROFILE)\n"
	"  --olayout-mode=MODE     outline, path-inline or both (the default when a\n"
	"                          profile is given) (env OLAYOUT_MODE)\n"
	"  --olayout-fdo=on|off|late  the plugin's branch probabilities from the\n"
	"                          profile's branch and line counts: on before\n"
	"                          inlining, late after it (the default: GCC\n"
	"                          inlines as without them)\n"
	"                          (env OLAYOUT_FDO)\n"
	"  --olayout-align=gcc|pack  pack: no alignment padding in the code\n"
	"                          (-falign-functions=1 -falign-jumps=1\n"
	"                          -falign-loops=1 -falign-labels=1 after GCC-ARGS),\n"
	"                          the densest code, fewer I1 misses; default gcc:\n"
	"                          GCC's own alignment (env OLAYOUT_ALIGN)\n"
	"  --olayout-arg=KEY[=V]   another plugin option, e.g. verbose or\n"
	"                          report=FILE (repeatable; env OLAYOUT_ARGS holds\n"
	"                          them separated by spaces)\n"
	"  With a profile the plugin also orders the blocks of the functions that\n"
	"  ran by ext-TSP, those that ran rarely after the hot ones\n"
	"  (block-order=exttsp-warm; --olayout-arg=block-order=exttsp keeps ext-TSP's\n"
	"  order, --olayout-arg=block-order=gcc GCC's), and a switch some of whose\n"
	"  exits never ran takes trained probabilities for the others\n"
	"  (switch-counts=on; --olayout-arg=switch-counts=off keeps GCC's guess);\n"
	"  and it writes each block's id into the line table (block-ids: only\n"
	"  .debug_line changes, the code is the same) for --blocks.\n"
	"Environment: OLAYOUT_CC the compiler (default gcc, the GCC the plugin was\n"
	"built for); OLAYOUT_PLUGIN the plugin (default ../lib/olayout/olayout.so\n"
	"beside this program's directory). A plugin that is missing, or a profile,\n"
	"mode or option that is wrong, is an error (exit 1, one line); gcc itself\n"
	"fails when the plugin does not load. Options win over the environment.\n"
	"--help or -h alone prints this; --version and the rest go to gcc.\n";

int main(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	struct olcc c;
	if (olcc_parse(&c, argc, argv) != 0 || olcc_plugin(&c) != 0 ||
	    olcc_command(&c, argc, argv) != 0) {
		olcc_free(&c);
		return 1;
	}
	execvp(c.argv[0], c.argv);
	fprintf(stderr, "olayout-cc: cannot run %s: %s\n", c.argv[0], strerror(errno));
	olcc_free(&c);
	return 1;
}
