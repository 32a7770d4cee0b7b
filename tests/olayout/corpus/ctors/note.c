#include <stdio.h>
#include <stdlib.h>

#include "ctors.h"

#define MAX_NOTES 32

static const char *notes[MAX_NOTES];
static int nnotes;

__attribute__((noreturn, cold)) static void too_many(const char *who)
{
	fprintf(stderr, "ctors: too many notes at %s\n", who);
	abort();
}

void ctors_note(const char *who)
{
	if (nnotes == MAX_NOTES)
		too_many(who);
	notes[nnotes++] = who;
	printf("note %d: %s\n", nnotes, who);
}

int ctors_count(void)
{
	return nnotes;
}

static int twice(int x) { return 2 * x; }
static int plus3(int x) { return x + 3; }

/* Static data pointers to static functions. */
static int (*const steps[])(int) = { twice, plus3, twice };

int ctors_transform(int x)
{
	for (unsigned i = 0; i < sizeof steps / sizeof steps[0]; i++)
		x = steps[i](x);
	return x;
}
