/*
 * outline.c - functions with each kind of cold seed the outline pass knows,
 * and one without. tests/plugin/outline.t compiles it with and without the
 * plugin and compares nm, sizes and output. The generated profile names the
 * line marked with the cold-line comment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOINLINE __attribute__((noinline))

__attribute__((cold)) NOINLINE void report_error(const char *what, int x)
{
	fprintf(stderr, "error: %s %d\n", what, x);
}

/* Named cold-function in the profile: never ran in training. */
NOINLINE int rarely(int x)
{
	printf("rarely %d\n", x);
	return x * 3;
}

/* Seed: a call to a noreturn function. exit, not abort: GCC declares abort
   cold as well, so the cold rule alone would outline its block. */
NOINLINE int parse(int x)
{
	if (x < 0) {
		fprintf(stderr, "parse: negative %d (%s)\n", x, strerror(x & 7));
		fprintf(stderr, "parse: giving up after %d tries\n", x / 2);
		exit(2);
	}
	return x * 2 + 1;
}

/* Seed: the unexpected side of __builtin_expect. */
NOINLINE int check(int x)
{
	if (__builtin_expect(x > 1000, 0)) {
		printf("check: %d is large\n", x);
		printf("check: clamping %d to %d\n", x, 1000);
		printf("check: %d over\n", x - 1000);
		return 1000;
	}
	return x + 7;
}

/* Seed: a call to a function with the cold attribute. */
NOINLINE int handle(int x)
{
	if (x % 97 == 96) {
		report_error("handle", x);
		printf("handle: recovering from %d\n", x);
		printf("handle: recovered %d\n", x / 3);
		return -1;
	}
	return x ^ 0x55;
}

/* Seed: a source line the profile says never ran. */
NOINLINE int lookup(int x)
{
	if (x % 89 == 88) {
		printf("lookup: miss %d\n", x); /* COLD-LINE */
		printf("lookup: refilling for %d\n", x);
		printf("lookup: refilled %d\n", x * 5);
		return 0;
	}
	return x - 3;
}

/* Seed: a call to a function the profile names cold-function. */
NOINLINE int dispatch(int x)
{
	if (x % 211 == 210) {
		printf("dispatch: slow path for %d\n", x);
		return rarely(x) + 1;
	}
	return x + 11;
}

/* No seed: stays whole. */
NOINLINE int plain(int x)
{
	if (x % 3 == 0)
		return x / 3;
	return x * 5 - 1;
}

/* Unknown to the compiler (even under -flto), so no cold path is proven dead. */
volatile int offset;

int main(int argc, char **argv)
{
	long sum = 0;
	int n = argc > 1 ? atoi(argv[1]) : 500;
	for (int i = offset; i < n; i++) {
		int x = i + offset;
		sum += parse(x) + check(x * 3) + handle(x) + lookup(x) + dispatch(x) + plain(x);
	}
	printf("sum %ld\n", sum);
	return 0;
}
