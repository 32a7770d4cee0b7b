/* main.c - calc [-n TIMES] FILE: compiles each line of FILE and runs it,
 * TIMES times over (printing the last time only): the workload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"

#define LINES 1024

int main(int argc, char **argv)
{
	static char text[LINES][256];
	static struct insn code[CALC_CODE];
	long vars[26] = {0}, times = 1;
	int n = 0, bad = 0;
	if (argc == 4 && !strcmp(argv[1], "-n")) {
		times = atol(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2 || times < 1) {
		fprintf(stderr, "usage: calc [-n TIMES] FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	while (n < LINES && fgets(text[n], sizeof text[n], f))
		n++;
	fclose(f);
	for (long t = 1; t <= times; t++)
		for (int l = 0; l < n; l++)
			if (parse_line(text[l], code, CALC_CODE) || vm_run(code, vars, t == times))
				bad += t == times;
	return bad ? 1 : 0;
}
