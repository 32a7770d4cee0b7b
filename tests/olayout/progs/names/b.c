/* names: the static helper (same name as the global one in a.c). */
__attribute__((noinline)) static int helper(int x)
{
	return x + 2;
}

__attribute__((noinline)) int b_run(int x)
{
	return helper(x);
}
