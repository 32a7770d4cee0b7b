/*
 * icp.c - an indirect call that training says nearly always reaches one
 * function: root calls ops[i]->op, which was twice 1000 times and thrice
 * 10 times in the profile tests/plugin/icp.t writes. With path-inlining
 * (root's path: root -> leaf) the icp pass guards the call with
 * "op == twice" and inlines twice there; every other target still goes
 * through the pointer.
 */
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))

struct ops {
	int (*op)(int);
};

int twice(int x)
{
	return 2 * x;
}

int thrice(int x)
{
	return 3 * x;
}

/* Too big for GCC's early inliner: the path-inline pass inlines it. */
int leaf(int x)
{
	int s = x;
	for (int i = 0; i < (x & 15); i++)
		s = s * 31 + (s >> 3) + i * x;
	return s ^ (s >> 7) ^ (x * 13) ^ (s << 2);
}

static const struct ops twice_ops = { twice }, thrice_ops = { thrice };
const struct ops *volatile table[2] = { &twice_ops, &thrice_ops };

NOINLINE int root(int x)
{
	const struct ops *o = table[x % 101 == 0]; /* PICK */
	int r = o->op(x);			   /* CALL */
	return r + leaf(x);			   /* LEAF */
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1010, sum = 0;
	for (int i = 0; i < n; i++)
		sum += root(i);
	printf("%d\n", sum);
	return 0;
}
