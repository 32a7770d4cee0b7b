/*
 * ol_profile_test.c - the profile reader: a good profile read back field by
 * field, and each malformed input rejected with its exact message.
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_profile.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char good[] =
	"# a comment line\n"
	"olayout-profile 1   # trailing comment\n"
	"\n"
	"cache alpha21064 8192 1 32\n"
	"cache\tmodern 32768 8 64\r\n"
	"path tcp_send xk_tcp_push tcp_output ip_push eth_push\n"
	"path udp_send udp_push xPush ip_push2 xPush eth_push\n"
	"library msg_push\n"
	"library inet_cksum\n"
	"cold-function tcp_drop\n"
	"cold-function fn.cold\n"
	"cold-line src/tcp.c:412\n"
	"edge xk_tcp_push tcp_output 10000\n"
	"edge tcp_output ip_push 18446744073709551615\n"
	"edge tcp_output ip_push2 0";

static int parse(const char *text, struct ol_profile **p, char *err)
{
	return ol_profile_parse("t.prof", text, strlen(text), p, err, OL_PROFILE_ERR_MAX);
}

static void check_good(void)
{
	struct ol_profile *p;
	char err[OL_PROFILE_ERR_MAX];
	int rc = parse(good, &p, err);
	tap_is_int(rc, 0, "good profile parses (%s)", err);
	if (rc < 0)
		tap_bail("cannot go on without the good profile");
	tap_is_int(p->version, 1, "version");
	tap_is_int((long long)p->n_caches, 2, "two caches");
	const struct ol_profile_cache *c = ol_profile_find_cache(p, "modern");
	tap_ok(c && c->size == 32768 && c->assoc == 8 && c->line == 64, "modern geometry");
	c = ol_profile_find_cache(p, "alpha21064");
	tap_ok(c && c->size == 8192 && c->assoc == 1 && c->line == 32, "alpha21064 geometry");
	tap_is_int((long long)p->n_paths, 2, "two paths");
	const struct ol_profile_path *path = ol_profile_find_path(p, "tcp_send");
	tap_ok(path && path->n_layers == 3, "tcp_send has three layers");
	path = ol_profile_find_path(p, "udp_send");
	tap_ok(path && path->n_layers == 4 && strcmp(path->layers[3], "eth_push") == 0,
	       "a dispatcher may be named twice on a path");
	path = ol_profile_find_path(p, "tcp_send");
	if (path && path->n_layers == 3) {
		tap_is_str(path->root, "xk_tcp_push", "root");
		tap_is_str(path->layers[0], "tcp_output", "layer 1");
		tap_is_str(path->layers[2], "eth_push", "layer 3 (the last)");
	}
	tap_ok(!ol_profile_find_path(p, "nope"), "unknown path is not found");
	tap_ok(ol_profile_is_library(p, "inet_cksum"), "library function");
	tap_ok(!ol_profile_is_library(p, "tcp_output"), "path function is not library");
	tap_ok(ol_profile_is_cold_function(p, "tcp_drop"), "cold function");
	tap_ok(ol_profile_is_cold_function(p, "fn.cold"), "dotted cold function");
	tap_ok(!ol_profile_is_cold_function(p, "tcp_output"), "hot function is not cold");
	tap_ok(ol_profile_is_cold_line(p, "src/tcp.c", 412), "cold line, same file name");
	tap_ok(ol_profile_is_cold_line(p, "/x/src/tcp.c", 412), "cold line, longer path");
	tap_ok(!ol_profile_is_cold_line(p, "/x/mysrc/tcp.c", 412), "suffix must start at a /");
	tap_ok(!ol_profile_is_cold_line(p, "src/tcp.c", 413), "other line is not cold");
	tap_is_int((long long)p->n_edges, 3, "three edges");
	tap_ok(p->n_edges == 3 && p->edges[1].count == UINT64_MAX, "largest count");
	tap_ok(p->n_edges == 3 && strcmp(p->edges[2].callee, "ip_push2") == 0 &&
		       p->edges[2].count == 0,
	       "last line without a newline");
	ol_profile_free(p);
}

struct bad {
	const char *text;
	const char *message;
};

static const struct bad bad[] = {
	{"", "t.prof:1: no version header 'olayout-profile 1'"},
	{"# only\n\n", "t.prof:2: no version header 'olayout-profile 1'"},
	{"path a b c\n", "t.prof:1: 'path' before the version header 'olayout-profile 1'"},
	{"olayout-profile 2\n", "t.prof:1: unsupported version 2 (this reader knows 1)"},
	{"olayout-profile one\n", "t.prof:1: bad version 'one': not a number"},
	{"olayout-profile 1\nolayout-profile 1\n", "t.prof:2: version header given twice"},
	{"olayout-profile 1\nhot-function f\n", "t.prof:2: unknown directive 'hot-function'"},
	{"olayout-profile 1\ncold-function\n", "t.prof:2: 'cold-function' wants cold-function FN"},
	{"olayout-profile 1\ncold-function a b\n",
	 "t.prof:2: 'cold-function' wants cold-function FN"},
	{"olayout-profile 1\ncold-function 9lives\n",
	 "t.prof:2: bad function name '9lives': not a symbol name"},
	{"olayout-profile 1\ncold-function f\ncold-function f\n",
	 "t.prof:3: cold-function 'f' given twice"},
	{"olayout-profile 1\ncold-line x.c\n", "t.prof:2: bad location 'x.c': want FILE:LINE"},
	{"olayout-profile 1\ncold-line :4\n", "t.prof:2: bad location ':4': want FILE:LINE"},
	{"olayout-profile 1\ncold-line x.c:0\n", "t.prof:2: bad line number '0': want 1 to 4294967295"},
	{"olayout-profile 1\ncold-line x.c:1x\n", "t.prof:2: bad line number '1x': not a number"},
	{"olayout-profile 1\npath p root\n", "t.prof:2: 'path' wants path NAME ROOT FN..."},
	{"olayout-profile 1\npath p a b\npath p c d\n", "t.prof:3: path 'p' given twice"},
	{"olayout-profile 1\npath p a b-c\n",
	 "t.prof:2: bad function name 'b-c': not a symbol name"},
	{"olayout-profile 1\nlibrary b\npath p a b\n",
	 "t.prof:3: path 'p': 'b' is a library function"},
	{"olayout-profile 1\npath p a b\nlibrary a\n", "t.prof:3: library 'a' is on path 'p'"},
	{"olayout-profile 1\nlibrary m\nlibrary m\n", "t.prof:3: library 'm' given twice"},
	{"olayout-profile 1\nedge a b\n", "t.prof:2: 'edge' wants edge CALLER CALLEE COUNT"},
	{"olayout-profile 1\nedge a b -1\n", "t.prof:2: bad count '-1': not a number"},
	{"olayout-profile 1\nedge a b 18446744073709551616\n",
	 "t.prof:2: bad count '18446744073709551616': too large"},
	{"olayout-profile 1\nedge a b 1\nedge c d 2\n\nedge a b 3\nedge c d 4\n",
	 "t.prof:5: edge 'a b' given twice"},
	{"olayout-profile 1\ncache c 8192 3 32\n",
	 "t.prof:2: bad associativity '3': not a power of two up to 2^30"},
	{"olayout-profile 1\ncache c 8192 1 2\n", "t.prof:2: bad line size '2': below 4 bytes"},
	{"olayout-profile 1\ncache c 64 4 32\n",
	 "t.prof:2: cache 'c': size 64 is below associativity x line size"},
	{"olayout-profile 1\ncache c 64 1 32\ncache c 64 1 32\n", "t.prof:3: cache 'c' given twice"},
	{"olayout-profile 1\ncache c 64 1\n", "t.prof:2: 'cache' wants cache NAME SIZE ASSOC LINE"},
};

static void check_bad(void)
{
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct ol_profile *p = (struct ol_profile *)1;
		char err[OL_PROFILE_ERR_MAX];
		int rc = parse(bad[i].text, &p, err);
		tap_ok(rc == -EINVAL && p == NULL, "bad input %zu rejected", i);
		tap_is_str(err, bad[i].message, "bad input %zu message", i);
	}
}

/* Inputs that cannot be written as a C string literal. */
static void check_binary(void)
{
	struct ol_profile *p;
	char err[OL_PROFILE_ERR_MAX];
	static const char nul[] = "olayout-profile 1\nlibrary a\0b\n";
	tap_is_int(ol_profile_parse("t.prof", nul, sizeof nul - 1, &p, err, sizeof err), -EINVAL,
		   "NUL byte rejected");
	tap_is_str(err, "t.prof:2: NUL byte in a text file", "NUL byte message");

	size_t n = 5000;
	char *longline = malloc(n + 32);
	if (!longline)
		tap_bail("out of memory");
	int head = snprintf(longline, n + 32, "olayout-profile 1\n# ");
	memset(longline + head, 'x', n);
	tap_is_int(ol_profile_parse("t.prof", longline, (size_t)head + n, &p, err, sizeof err),
		   -EINVAL, "overlong line rejected");
	tap_is_str(err, "t.prof:2: line longer than 4095 bytes", "overlong line message");
	free(longline);

	tap_is_int(parse("olayout-profile 1\nbogus\n", &p, err), -EINVAL, "unknown directive");
	static const char two[] = "olayout-profile 1\nbogus\n";
	tap_is_int(ol_profile_parse("t.prof", two, sizeof two - 1, &p, err, 20), -EINVAL,
		   "short error buffer");
	tap_is_str(err, "t.prof:2: unknown d", "message cut to the buffer, NUL-terminated");
}

static void check_files(void)
{
	struct ol_profile *p;
	char err[OL_PROFILE_ERR_MAX];
	int rc = ol_profile_load("/nonexistent/x.prof", &p, err, sizeof err);
	tap_is_int(rc, -ENOENT, "missing file gives -ENOENT");
	tap_is_str(err, "/nonexistent/x.prof: cannot open: No such file or directory",
		   "missing file message");

	char name[] = "/tmp/ol_profile_testXXXXXX";
	int fd = mkstemp(name);
	if (fd < 0)
		tap_bail("mkstemp: %s", strerror(errno));
	FILE *fp = fdopen(fd, "w");
	if (!fp || fputs(good, fp) < 0 || fclose(fp) != 0)
		tap_bail("cannot write %s", name);
	rc = ol_profile_load(name, &p, err, sizeof err);
	tap_ok(rc == 0 && p->n_paths == 2 && p->n_edges == 3, "load reads a file");
	if (rc == 0)
		ol_profile_free(p);
	unlink(name);
}

int main(void)
{
	tap_plan(24 + 2 * (int)(sizeof bad / sizeof bad[0]) + 7 + 3);
	check_good();
	check_bad();
	check_binary();
	check_files();
	return tap_done();
}
