#include <stdlib.h>
#include <string.h>

#include "dispatch.h"

int dispatch_by_name(const void *a, const void *b)
{
	const struct dispatch_cmd *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static int by_value_desc(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x < y) - (x > y);
}

static struct dispatch_cmd sorted[16];

long dispatch_call(const char *name, long a, long b)
{
	struct dispatch_cmd key = { name, NULL, 0 };
	const struct dispatch_cmd *c;

	c = bsearch(&key, sorted, (size_t)dispatch_ncmds, sizeof sorted[0], dispatch_by_name);
	if (c == NULL)
		dispatch_die("unknown command", (long)strlen(name));
	return c->run(a, b);
}

int main(void)
{
	static const char *const script[] = { "add", "mul", "pow", "sub", "div", "max", "pow" };
	long results[sizeof script / sizeof script[0]];
	long acc = 3;

	memcpy(sorted, dispatch_cmds, sizeof dispatch_cmds[0] * (size_t)dispatch_ncmds);
	qsort(sorted, (size_t)dispatch_ncmds, sizeof sorted[0], dispatch_by_name);
	for (int i = 0; i < dispatch_ncmds; i++)
		dispatch_log("cmd %d: %s flags %d", i, sorted[i].name, sorted[i].flags);
	for (unsigned i = 0; i < sizeof script / sizeof script[0]; i++) {
		long r = dispatch_call(script[i], acc, (long)i + 2);

		dispatch_log("%s(%ld, %u) = %ld", script[i], acc, i + 2, r);
		results[i] = r;
		acc = r % 1000 + 1;
	}
	qsort(results, sizeof results / sizeof results[0], sizeof results[0], by_value_desc);
	for (unsigned i = 0; i < sizeof results / sizeof results[0]; i++)
		dispatch_log("sorted[%u] = %ld", i, results[i]);
	dispatch_log("hook(7) = %d, hook(-3) = %d", dispatch_hook(7), dispatch_hook(-3));
	return (int)(acc % 7);
}
