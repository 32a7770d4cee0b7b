/* Built without the plugin: GCC's own discriminators (the loop's blocks on
 * one line, around a call it cannot see) are no block ids. */
int parity(int i);

int other(int n)
{
	int s = 0;
	for (int i = 0; i < n; i++) s += parity(i) ? i : -i;
	return s;
}
