/*
 * odd.c - code the plugin must refuse politely (never an ICE): paths through
 * noinline, recursive and variadic functions, an indirect call whose
 * arguments do not fit the path's next function, setjmp, a section
 * attribute, names that do not exist. odd.prof names them; robust.t checks
 * that it builds, prints the same, is left untransformed, and says why in
 * verbose mode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static jmp_buf env;

__attribute__((noinline)) int leaf(int x)
{
	return x * 7 + 1;
}

int rec(int x)
{
	return x <= 0 ? 0 : x + rec(x - 1);
}

int sum_va(int n, ...)
{
	va_list ap;
	int s = 0;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s += va_arg(ap, int);
	va_end(ap);
	return s;
}

int two(int a, int b)
{
	return a * 3 - b;
}

/* inlinable, with one argument: p_arity's layer, which root_arity's call
   (two arguments) must not become; used: kept under -flto */
__attribute__((used)) int one(int x)
{
	return x * 5 - 2;
}

int (*volatile one_arg)(int) = leaf;
int (*volatile two_args)(int, int) = two;

int root_noinline(int x) { return leaf(x) + 2; }
int root_rec(int x) { return rec(x) + 1; }
int root_va(int x) { return sum_va(3, x, x + 1, x + 2); }
int root_arity(int x) { return two_args(x, 4); }

int root_setjmp(int x)
{
	if (setjmp(env))
		return -1;
	if (x > 1000)
		longjmp(env, 1);
	return one_arg(x);
}

__attribute__((section(".text.mine"), noinline)) int in_section(int x)
{
	if (x < 0) {
		fprintf(stderr, "in_section: %d\n", x);
		abort();
	}
	return x + 5;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20;
	long s = 0;
	for (int i = 0; i < n; i++)
		s += root_noinline(i) + root_rec(i) + root_va(i) + root_arity(i) + root_setjmp(i * 90) +
		     in_section(i);
	printf("odd %ld\n", s);
	return 0;
}
