#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "olayout_clone.h"
#include "ops.h"

/* Prints the same results whether or not the path's clones exist; with
 * CLONETAB_REPORT set it also says which each pointer was bound to. */
int main(void)
{
	int report = getenv("CLONETAB_REPORT") != NULL;
	long acc = 1;

	for (int i = 0; i < clonetab_nops; i++) {
		long (*fn)(long, long) = (long (*)(long, long))ol_clone_lookup(
			(const void *)clonetab_ops[i].fn, "fast");

		if (report)
			printf("%s: %s\n", clonetab_ops[i].name,
			       fn == clonetab_ops[i].fn ? "original" : "clone");
		for (long x = 1; x < 6; x++) {
			acc = fn(acc % 1000 + x, x + 7) % 1000003;
			printf("%s(%ld) -> %ld\n", clonetab_ops[i].name, x, acc);
		}
	}
	return (int)(acc % 50);
}
