/* dispatch: function pointers in data (a command table, a static pointer to
 * a static function), qsort/bsearch with comparator callbacks, varargs. */
#ifndef DISPATCH_H
#define DISPATCH_H

struct dispatch_cmd {
	const char *name;
	long (*run)(long a, long b);
	int flags;
};

extern const struct dispatch_cmd dispatch_cmds[];
extern const int dispatch_ncmds;

__attribute__((noreturn, cold)) void dispatch_die(const char *what, long v);
long dispatch_call(const char *name, long a, long b);
int dispatch_by_name(const void *a, const void *b);
int dispatch_hook(int x);
void dispatch_log(const char *fmt, ...);

#endif
