/* names: a global helper here, a static helper in b.c (issue #16, defect 4). */
int b_run(int x);

__attribute__((noinline)) int helper(int x)
{
	return x * 3 + 1;
}

int main(void)
{
	return (helper(4) + b_run(5)) & 0x7f;	/* 13 + 7 = 20 */
}
