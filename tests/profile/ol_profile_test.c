/*
 * ol_profile_test.c - the profile reader: a good profile (versions 1 and 2)
 * read back field by field, each malformed input rejected with its exact
 * message, and the writer's text read back into the same text.
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

static const char good2[] =
	"olayout-profile 2\n"
	"exe tcpping\n"
	"training 1000\n"
	"cache modern 32768 8 64\n"
	"path tcp_send tcp_push tcp_output ip_push\n"
	"library msg_push\n"
	"function tcp_push 1000 52000\n"
	"function tcp_push.cold 0 0\n"
	"function ip_push 2000 18446744073709551615\n"
	"edge tcp_push tcp_output 1000\n"
	"line src/tcp.c:40 1000\n"
	"line src/ip.c:40 2000\n"
	"line tcp.c:41 7\n"
	"cold-line src/tcp.c:42\n"
	"external memcpy libc.so.6 0x4a1c0 16 900\n"
	"external __memset_avx2 libc.so.6 0x4FFFfff0 16 32\n";

static void check_good2(void)
{
	struct ol_profile *p;
	char err[OL_PROFILE_ERR_MAX];
	int rc = parse(good2, &p, err);
	tap_is_int(rc, 0, "version 2 profile parses (%s)", err);
	if (rc < 0)
		tap_bail("cannot go on without the version 2 profile");
	tap_is_int(p->version, 2, "version 2");
	tap_is_str(p->exe, "tcpping", "exe");
	tap_is_int((long long)p->training, 1000, "training runs");
	tap_is_int((long long)p->n_functions, 3, "three functions");
	const struct ol_profile_function *f = ol_profile_find_function(p, "tcp_push");
	tap_ok(f && f->calls == 1000 && f->insns == 52000, "tcp_push's counts");
	f = ol_profile_find_function(p, "ip_push");
	tap_ok(f && f->insns == UINT64_MAX, "the largest count");
	f = ol_profile_find_function(p, "tcp_push.cold");
	tap_ok(f && f->calls == 0, "a .cold fragment is its own entry");
	tap_ok(!ol_profile_find_function(p, "tcp_output"), "an absent function is not found");
	tap_ok(!ol_profile_find_function(p, "tcp_pus"), "a prefix is not found");
	tap_is_int((long long)ol_profile_edge_count(p, "tcp_push", "tcp_output"), 1000, "edge");
	tap_is_int((long long)ol_profile_edge_count(p, "tcp_output", "tcp_push"), 0,
		   "reversed edge absent: 0");
	uint64_t count = 0;
	tap_ok(ol_profile_line_count(p, "/x/src/ip.c", 40, &count) && count == 2000,
	       "line count, longer path");
	tap_ok(ol_profile_line_count(p, "src/tcp.c", 40, &count) && count == 1000,
	       "line count, same line number in another file");
	tap_ok(ol_profile_line_count(p, "a/tcp.c", 41, &count) && count == 7, "line count, base name");
	tap_ok(!ol_profile_line_count(p, "src/tcp.c", 42, &count), "a cold line has no count");
	tap_ok(!ol_profile_line_count(p, "/x/mysrc/ip.c", 40, &count), "suffix must start at a /");
	tap_ok(ol_profile_is_cold_line(p, "src/tcp.c", 42), "cold line in version 2");
	tap_is_int((long long)p->n_externals, 2, "two externals");
	tap_ok(p->n_externals == 2 && p->externals[1].addr == 0x4ffffff0 &&
		       p->externals[1].size == 16 && p->externals[1].insns == 32 &&
		       strcmp(p->externals[1].object, "libc.so.6") == 0,
	       "external fields (hex address, either case)");
	ol_profile_free(p);
}

/* A version 1 profile still reads; its counts are absent. */
static void check_v1_absent(void)
{
	struct ol_profile *p;
	char err[OL_PROFILE_ERR_MAX];
	int rc = parse(good, &p, err);
	tap_ok(rc == 0 && !p->exe && p->training == 0 && p->n_functions == 0 &&
		       ol_profile_edge_count(p, "xk_tcp_push", "tcp_output") == 10000 &&
		       !ol_profile_find_function(p, "tcp_output"),
	       "version 1: no v2 fields, edges counted");
	if (rc == 0)
		ol_profile_free(p);
}

/* The writer's text of text (NULL on failure; the caller frees). */
static char *rewrite(const char *text)
{
	struct ol_profile *p;
	char err[OL_PROFILE_ERR_MAX], *out = NULL;
	size_t len = 0;
	if (parse(text, &p, err) < 0) {
		tap_diag("%s", err);
		return NULL;
	}
	FILE *fp = open_memstream(&out, &len);
	int rc = fp ? ol_profile_write(fp, p) : -1;
	if (fp && fclose(fp) != 0)
		rc = -1;
	ol_profile_free(p);
	if (rc < 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* Entries in any order with comments: the writer's text is sorted, and reads
 * back into the same text. */
static void check_write(void)
{
	static const char mixed[] =
		"olayout-profile 2 # header\n"
		"external b libm.so.6 0x20 8 3\n"
		"external a libc.so.6 0x30 8 1\n"
		"external z libc.so.6 0x10 8 2\n"
		"cold-line b.c:2\n"
		"cold-line a.c:10\n"
		"cold-line a.c:9\n"
		"line b.c:1 5\n"
		"line a.c:3 6\n"
		"cold-function zz\n"
		"cold-function aa\n"
		"edge b c 2\n"
		"edge a c 1\n"
		"edge a b 3\n"
		"function g 1 2\n"
		"function f 3 4\n"
		"library m2\n"
		"library m1\n"
		"path second r x\n"
		"path first r y z\n"
		"cache modern 32768 8 64\n"
		"cache alpha21064 8192 1 32\n"
		"training 7\n"
		"exe prog\n";
	static const char canonical[] =
		"olayout-profile 2\n"
		"exe prog\n"
		"training 7\n"
		"cache alpha21064 8192 1 32\n"
		"cache modern 32768 8 64\n"
		"path second r x\n"
		"path first r y z\n"
		"library m1\n"
		"library m2\n"
		"function f 3 4\n"
		"function g 1 2\n"
		"edge a b 3\n"
		"edge a c 1\n"
		"edge b c 2\n"
		"cold-function aa\n"
		"cold-function zz\n"
		"line a.c:3 6\n"
		"line b.c:1 5\n"
		"cold-line a.c:9\n"
		"cold-line a.c:10\n"
		"cold-line b.c:2\n"
		"external z libc.so.6 0x10 8 2\n"
		"external a libc.so.6 0x30 8 1\n"
		"external b libm.so.6 0x20 8 3\n";
	char *once = rewrite(mixed);
	tap_is_str(once ? once : "(failed)", canonical, "the writer's canonical text");
	char *twice = once ? rewrite(once) : NULL;
	tap_is_str(twice ? twice : "(failed)", canonical, "parse, write, parse, write: same text");
	free(once);
	free(twice);
	char *v1 = rewrite(good);
	char *v1again = v1 ? rewrite(v1) : NULL;
	tap_ok(v1 && v1again && strcmp(v1, v1again) == 0 &&
		       strncmp(v1, "olayout-profile 1\n", 18) == 0,
	       "a version 1 profile round-trips as version 1");
	free(v1);
	free(v1again);
	/* each version's own entry: input, what the writer gives back, what it shows */
	static const struct { const char *in, *want, *name; } versions[] = {
		{"olayout-profile 3\nfunction f 1 2\nsamples cpu-clock\nexe a\n",
		 "olayout-profile 3\nexe a\nsamples cpu-clock\nfunction f 1 2\n",
		 "version 3: samples EVENT, written after exe"},
		{"olayout-profile 4\ninsn g 2 5\ninsn f.cold 16 7\ninsn f.cold 3 7\n",
		 "olayout-profile 4\ninsn f.cold 3 7\ninsn f.cold 16 7\ninsn g 2 5\n",
		 "version 4: insn FN OFFSET COUNT, by function, then offset"},
		/* blanks, a comment, CRLF: the general parse reads what the writer's
		 * form reads (the reader has a short path for that form) */
		{"olayout-profile 4\ninsn\tf 4 5 # c\ninsn f 2 5\r\n insn  f 8 5\n"
		 "insn f 18446744073709551615 1\n",
		 "olayout-profile 4\ninsn f 2 5\ninsn f 4 5\ninsn f 8 5\n"
		 "insn f 18446744073709551615 1\n",
		 "version 4: insn lines in other forms read alike"},
		{"olayout-profile 5\nbranch b.c:2 b.c:9 b.c:3 0 4\n"
		 "branch a.c:7 a.c:9 a.c:8 5 6\nbranch a.c:7 a.c:8 a.c:9 1 2\n",
		 "olayout-profile 5\nbranch a.c:7 a.c:8 a.c:9 1 2\nbranch a.c:7 a.c:9 a.c:8 5 6\n"
		 "branch b.c:2 b.c:9 b.c:3 0 4\n",
		 "version 5: branch FROM TAKEN FALL TAKEN_COUNT FALL_COUNT, by location, then exits"},
		{"olayout-profile 6\ncopy g a.c:3 b.h:9 0\ncopy f a.c:5 b.h:9 2\n"
		 "copy f a.c:4 c.h:2 b.h:9 7\ncopy f a.c:4 b.h:9 1\n",
		 "olayout-profile 6\ncopy f a.c:4 b.h:9 1\ncopy f a.c:5 b.h:9 2\n"
		 "copy f a.c:4 c.h:2 b.h:9 7\ncopy g a.c:3 b.h:9 0\n",
		 "version 6: copy FN SITE... LINE COUNT, by function, line, number of sites, sites"},
		{"olayout-profile 7\nblock g.cold 3 0\nblock f 10 4\nblock f.constprop.0 2 1\n"
		 "block f 9 5\ncopy f a.c:4 b.h:9 1\n",
		 "olayout-profile 7\ncopy f a.c:4 b.h:9 1\nblock f 9 5\nblock f 10 4\n"
		 "block f.constprop.0 2 1\nblock g.cold 3 0\n",
		 "version 7: block FN ID COUNT, by function, then id, after copy"},
	};
	for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		char *got = rewrite(versions[i].in);
		tap_is_str(got ? got : "(failed)", versions[i].want, versions[i].name);
		free(got);
	}
}

/* text parsed, one test saying so (what: what it holds); NULL if not. */
static struct ol_profile *parsed(const char *text, const char *what)
{
	struct ol_profile *p;
	char err[OL_PROFILE_ERR_MAX];
	int rc = parse(text, &p, err);
	tap_is_int(rc, 0, "a profile with %s parses (%s)", what, err);
	return rc < 0 ? NULL : p;
}

/* Branches are found by their location, the file matched as a line's. */
static void check_branches(void)
{
	static const char text[] = "olayout-profile 5\n"
				   "branch src/a.c:7 src/a.c:8 src/a.c:9 1 2\n"
				   "branch b.c:7 b.c:8 b.c:9 3 4\n"
				   "branch src/a.c:7 src/a.c:9 src/a.c:8 5 6\n"
				   "branch src/a.c:6 src/a.c:7 src/a.c:9 7 8\n";
	struct ol_profile *p = parsed(text, "branches");
	if (!p)
		return;
	const struct ol_profile_branch *b[4];
	size_t n = ol_profile_branches_at(p, "/w/src/a.c", 7, b, 4);
	tap_ok(n == 2 && b[0]->taken + b[1]->taken == 6 && b[0]->fall + b[1]->fall == 8,
	       "the two branches of src/a.c:7 (%zu found)", n);
	tap_is_int((int)ol_profile_branches_at(p, "/w/b.c", 7, b, 1), 1, "b.c:7's one branch");
	tap_is_int((int)ol_profile_branches_at(p, "/w/xsrc/a.c", 7, b, 4), 0,
		   "no branch for another file of the same name's end");
	tap_is_int((int)ol_profile_branches_at(p, "a.c", 5, b, 4), 0, "none at a line without");
	ol_profile_free(p);
}

/* A copy is found by its function and every location, the files matched
 * as a line's. */
static void check_copies(void)
{
	struct ol_profile *p = parsed("olayout-profile 6\ncopy f src/a.c:4 b.h:9 1\n"
				      "copy f src/a.c:5 b.h:9 0\ncopy f src/a.c:4 c.h:2 b.h:9 7\n"
				      "copy g src/a.c:4 b.h:9 3\n", "copies");
	if (!p)
		return;
	const char *files[] = {"/w/src/a.c", "/w/b.h"}, *other[] = {"/w/xsrc/a.c", "/w/b.h"};
	unsigned long at4[] = {4, 9}, at5[] = {5, 9};
	uint64_t c = 99;
	tap_ok(ol_profile_copy_count(p, "f", files, at4, 2, &c) && c == 1,
	       "f's copy through src/a.c:4 ran once");
	tap_ok(ol_profile_copy_count(p, "f", files, at5, 2, &c) && c == 0,
	       "f's copy through src/a.c:5 never ran");
	tap_ok(ol_profile_copy_count(p, "g", files, at4, 2, &c) && c == 3, "g's copy is its own");
	tap_ok(!ol_profile_copy_count(p, "f", other, at4, 2, &c),
	       "no copy for another file of the same name's end");
	tap_ok(!ol_profile_copy_count(p, "f", files + 1, at4 + 1, 1, &c) &&
		       !ol_profile_copy_count(p, "h", files, at4, 2, &c),
	       "none without a call site, none of another function");
	ol_profile_free(p);
}

/* A function's blocks are found by its exact name (foo.constprop.0 is not
 * foo), in id order, whatever the file's order. */
static void check_blocks(void)
{
	struct ol_profile *p = parsed("olayout-profile 7\nblock f 12 0\nblock f.part.0 2 9\n"
				      "block f 3 40\nblock e 7 1\nblock f 2 100\nblock g 2 6\n",
				      "blocks");
	if (!p)
		return;
	const struct ol_profile_block *b[3];
	size_t n = ol_profile_blocks_of(p, "f", b, 3);
	tap_ok(n == 3 && b[0]->id == 2 && b[0]->count == 100 && b[1]->id == 3 &&
		       b[1]->count == 40 && b[2]->id == 12 && b[2]->count == 0,
	       "f's three blocks by id, with their counts (%zu found)", n);
	tap_ok(ol_profile_blocks_of(p, "f", b, 1) == 3 && b[0]->id == 2,
	       "the count of f's blocks, the first max of them filled in");
	tap_ok(ol_profile_blocks_of(p, "f.part", b, 3) == 0 && ol_profile_blocks_of(p, "h", b, 3) == 0,
	       "no blocks for a name that is a prefix of one, none for an absent function");
	uint64_t c = 99;
	tap_ok(ol_profile_block_count(p, "f", 3, &c) && c == 40 &&
		       ol_profile_block_count(p, "f.part.0", 2, &c) && c == 9 &&
		       ol_profile_block_count(p, "g", 2, &c) && c == 6,
	       "one block's count, of f, of f.part.0, of g");
	tap_ok(!ol_profile_block_count(p, "f", 4, &c) && !ol_profile_block_count(p, "e", 2, &c) &&
		       !ol_profile_block_count(p, "f.part", 2, &c),
	       "none for an id the function lacks, nor for another function's id");
	ol_profile_free(p);
}

/* Lookups stay fast on a large profile: 50000 functions and lines. */
static void check_large(void)
{
	enum { N = 50000 };
	size_t cap = (size_t)N * 64 + 32, len = 0;
	char *text = malloc(cap);
	if (!text)
		tap_bail("out of memory");
	len += (size_t)snprintf(text, cap, "olayout-profile 2\n");
	for (unsigned i = 0; i < N; i++)
		len += (size_t)snprintf(text + len, cap - len, "function f%u %u 1\nline s%u.c:%u %u\n",
					(i * 7919u) % N, i, i % 97, i + 1, i);
	struct ol_profile *p;
	char err[OL_PROFILE_ERR_MAX];
	int rc = ol_profile_parse("big.prof", text, len, &p, err, sizeof err);
	free(text);
	tap_is_int(rc, 0, "a 50000-function profile parses (%s)", err);
	if (rc < 0)
		return;
	bool ok = true;
	uint64_t count;
	for (unsigned i = 0; i < N && ok; i++) {
		const struct ol_profile_function *f =
			ol_profile_find_function(p, p->functions[i].name);
		char file[32];
		snprintf(file, sizeof file, "d/s%u.c", i % 97);
		ok = f == &p->functions[i] && ol_profile_line_count(p, file, i + 1, &count) &&
		     count == i;
	}
	tap_ok(ok, "every function and line found");
	ol_profile_free(p);
}

struct bad {
	const char *text;
	const char *message;
};

static const struct bad bad[] = {
	{"", "t.prof:1: no version header 'olayout-profile 7'"},
	{"# only\n\n", "t.prof:2: no version header 'olayout-profile 7'"},
	{"path a b c\n", "t.prof:1: 'path' before the version header 'olayout-profile 7'"},
	{"olayout-profile 8\n", "t.prof:1: unsupported version 8 (this reader knows 1 to 7)"},
	{"olayout-profile 0\n", "t.prof:1: unsupported version 0 (this reader knows 1 to 7)"},
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
	/* version 2 directives in a version 1 file */
	{"olayout-profile 1\nexe a.out\n", "t.prof:2: 'exe' needs version 2 (the header says 1)"},
	{"olayout-profile 1\ntraining 5\n",
	 "t.prof:2: 'training' needs version 2 (the header says 1)"},
	{"olayout-profile 1\nfunction f 1 2\n",
	 "t.prof:2: 'function' needs version 2 (the header says 1)"},
	{"olayout-profile 1\nline a.c:1 3\n", "t.prof:2: 'line' needs version 2 (the header says 1)"},
	{"olayout-profile 1\nexternal f libc.so.6 0x10 4 1\n",
	 "t.prof:2: 'external' needs version 2 (the header says 1)"},
	/* exe */
	{"olayout-profile 2\nexe a\nexe a\n", "t.prof:3: exe given twice"},
	{"olayout-profile 2\nexe bin/a\n",
	 "t.prof:2: bad executable name 'bin/a': want a file's base name"},
	{"olayout-profile 2\nexe\n", "t.prof:2: 'exe' wants exe NAME"},
	/* samples */
	{"olayout-profile 2\nsamples cpu-clock\n",
	 "t.prof:2: 'samples' needs version 3 (the header says 2)"},
	{"olayout-profile 3\nsamples a\nsamples a\n", "t.prof:3: samples given twice"},
	{"olayout-profile 3\nsamples cpu;clock\n",
	 "t.prof:2: bad event 'cpu;clock': want letters, digits and _-.:/=,"},
	{"olayout-profile 3\nsamples\n", "t.prof:2: 'samples' wants samples EVENT"},
	/* training */
	{"olayout-profile 2\ntraining 1\ntraining 1\n", "t.prof:3: training given twice"},
	{"olayout-profile 2\ntraining 0\n", "t.prof:2: bad training runs '0': want 1 or more"},
	{"olayout-profile 2\ntraining 1e3\n", "t.prof:2: bad training runs '1e3': not a number"},
	/* function */
	{"olayout-profile 2\nfunction f 1\n", "t.prof:2: 'function' wants function FN CALLS INSNS"},
	{"olayout-profile 2\nfunction 1f 1 2\n",
	 "t.prof:2: bad function name '1f': not a symbol name"},
	{"olayout-profile 2\nfunction f x 2\n", "t.prof:2: bad calls 'x': not a number"},
	{"olayout-profile 2\nfunction f 1 18446744073709551616\n",
	 "t.prof:2: bad instructions '18446744073709551616': too large"},
	{"olayout-profile 2\nfunction g 1 2\nfunction f 1 2\nfunction g 3 4\nfunction f 1 2\n",
	 "t.prof:4: function 'g' given twice"},
	/* line */
	{"olayout-profile 2\nline a.c 3\n", "t.prof:2: bad location 'a.c': want FILE:LINE"},
	{"olayout-profile 2\nline a.c:0 3\n", "t.prof:2: bad line number '0': want 1 to 4294967295"},
	{"olayout-profile 2\nline a.c:1 -3\n", "t.prof:2: bad count '-3': not a number"},
	{"olayout-profile 2\nline a.c:1\n", "t.prof:2: 'line' wants line FILE:LINE COUNT"},
	{"olayout-profile 2\nline a.c:1 3\nline b.c:1 3\nline a.c:1 4\n",
	 "t.prof:4: line 'a.c:1' given twice"},
	{"olayout-profile 2\nline a.c:1 3\ncold-line b.c:1\ncold-line a.c:1\n",
	 "t.prof:4: 'a.c:1' is both line and cold-line"},
	{"olayout-profile 2\ncold-line a.c:1\nline a.c:1 3\n",
	 "t.prof:3: 'a.c:1' is both line and cold-line"},
	/* external */
	{"olayout-profile 2\nexternal f libc.so.6 0x10 4\n",
	 "t.prof:2: 'external' wants external FN OBJECT ADDR SIZE INSNS"},
	{"olayout-profile 2\nexternal f@GLIBC libc.so.6 0x10 4 1\n",
	 "t.prof:2: bad function name 'f@GLIBC': not a symbol name"},
	{"olayout-profile 2\nexternal f /lib/libc.so.6 0x10 4 1\n",
	 "t.prof:2: bad object '/lib/libc.so.6': want a file's base name"},
	{"olayout-profile 2\nexternal f libc.so.6 16 4 1\n",
	 "t.prof:2: bad address '16': want 0x and 1 to 16 hex digits"},
	{"olayout-profile 2\nexternal f libc.so.6 0x 4 1\n",
	 "t.prof:2: bad address '0x': want 0x and 1 to 16 hex digits"},
	{"olayout-profile 2\nexternal f libc.so.6 0x1g 4 1\n",
	 "t.prof:2: bad address '0x1g': want 0x and 1 to 16 hex digits"},
	{"olayout-profile 2\nexternal f libc.so.6 0x10000000000000000 4 1\n",
	 "t.prof:2: bad address '0x10000000000000000': want 0x and 1 to 16 hex digits"},
	{"olayout-profile 2\nexternal f libc.so.6 0x10 0x4 1\n",
	 "t.prof:2: bad size '0x4': not a number"},
	{"olayout-profile 2\nexternal f libc.so.6 0x10 0 1\n",
	 "t.prof:2: bad size '0': want 1 to the end of the address space"},
	{"olayout-profile 2\nexternal f libc.so.6 0xfffffffffffffff0 17 1\n",
	 "t.prof:2: bad size '17': want 1 to the end of the address space"},
	{"olayout-profile 2\nexternal f libc.so.6 0x10 4 x\n",
	 "t.prof:2: bad instructions 'x': not a number"},
	{"olayout-profile 2\nexternal f libc.so.6 0x10 4 1\nexternal f libm.so.6 0x10 4 1\n"
	 "external f libc.so.6 0x20 4 1\n",
	 "t.prof:4: external 'f libc.so.6' given twice"},
	/* insn */
	{"olayout-profile 3\ninsn f 0 1\n", "t.prof:2: 'insn' needs version 4 (the header says 3)"},
	{"olayout-profile 4\ninsn f 0\n", "t.prof:2: 'insn' wants insn FN OFFSET COUNT"},
	{"olayout-profile 4\ninsn f.c 0x4 1\n", "t.prof:2: bad offset '0x4': not a number"},
	{"olayout-profile 4\ninsn f 4 -1\n", "t.prof:2: bad count '-1': not a number"},
	/* lines the short path for the writer's form must leave to the parse */
	{"olayout-profile 4\ninsn 4f 0 1\n", "t.prof:2: bad function name '4f': not a symbol name"},
	{"olayout-profile 4\ninsn f-g 0 1\n",
	 "t.prof:2: bad function name 'f-g': not a symbol name"},
	{"olayout-profile 4\ninsn f 18446744073709551616 1\n",
	 "t.prof:2: bad offset '18446744073709551616': too large"},
	{"olayout-profile 4\ninsn f 4 1\ninsn f 8 1x\n", "t.prof:3: bad count '1x': not a number"},
	{"olayout-profile 4\ninsn f 4 1 2\n", "t.prof:2: 'insn' wants insn FN OFFSET COUNT"},
	{"olayout-profile 4\ninsn f 4 1\ninsn f 8 1\ninsn f 4 2\n",
	 "t.prof:4: insn 'f 4' given twice"},
	/* branch */
	{"olayout-profile 4\nbranch a.c:1 a.c:2 a.c:3 1 2\n",
	 "t.prof:2: 'branch' needs version 5 (the header says 4)"},
	{"olayout-profile 5\nbranch a.c:1 a.c:2 a.c:3 1\n",
	 "t.prof:2: 'branch' wants branch FILE:LINE TAKEN_FILE:LINE FALL_FILE:LINE TAKEN FALL"},
	{"olayout-profile 5\nbranch a.c:1 a.c a.c:3 1 2\n",
	 "t.prof:2: bad location 'a.c': want FILE:LINE"},
	{"olayout-profile 5\nbranch a.c:1 a.c:2 a.c:3 1 x\n",
	 "t.prof:2: bad fall-through count 'x': not a number"},
	{"olayout-profile 5\nbranch a.c:1 a.c:2 a.c:3 1 2\nbranch a.c:1 a.c:3 a.c:2 1 2\n"
	 "branch a.c:1 a.c:2 a.c:3 4 5\n",
	 "t.prof:4: branch 'a.c:1 a.c:2 a.c:3' given twice"},
	/* copy */
	{"olayout-profile 5\ncopy f a.c:1 b.c:2 0\n",
	 "t.prof:2: 'copy' needs version 6 (the header says 5)"},
	{"olayout-profile 6\ncopy f a.c:1 0\n",
	 "t.prof:2: 'copy' wants copy FN SITE_FILE:LINE... FILE:LINE COUNT (at least one call site)"},
	{"olayout-profile 6\ncopy f a.c:1 b.c 0\n", "t.prof:2: bad location 'b.c': want FILE:LINE"},
	{"olayout-profile 6\ncopy 1f a.c:1 b.c:2 0\n",
	 "t.prof:2: bad function name '1f': not a symbol name"},
	{"olayout-profile 6\ncopy f a.c:1 b.c:2 x\n", "t.prof:2: bad count 'x': not a number"},
	{"olayout-profile 6\ncopy f a.c:1 b.c:2 0\ncopy g a.c:1 b.c:2 0\ncopy f a.c:1 b.c:2 3\n",
	 "t.prof:4: copy of 'b.c:2' in 'f' through the same 1 call sites given twice"},
	/* block */
	{"olayout-profile 6\nblock f 2 1\n", "t.prof:2: 'block' needs version 7 (the header says 6)"},
	{"olayout-profile 7\nblock f 2\n", "t.prof:2: 'block' wants block FN ID COUNT"},
	{"olayout-profile 7\nblock f 2 1 0\n", "t.prof:2: 'block' wants block FN ID COUNT"},
	{"olayout-profile 7\nblock f.c:1 2 1\n",
	 "t.prof:2: bad function name 'f.c:1': not a symbol name"},
	{"olayout-profile 7\nblock f 0 1\n", "t.prof:2: bad block id '0': want 1 to 4294967295"},
	{"olayout-profile 7\nblock f 4294967296 1\n",
	 "t.prof:2: bad block id '4294967296': want 1 to 4294967295"},
	{"olayout-profile 7\nblock f -2 1\n", "t.prof:2: bad block id '-2': not a number"},
	{"olayout-profile 7\nblock f 2 1x\n", "t.prof:2: bad count '1x': not a number"},
	{"olayout-profile 7\nblock f 3 1\nblock g 3 1\nblock f 2 1\nblock f 3 0\n",
	 "t.prof:5: block 'f 3' given twice"},
	{"olayout-profile 7\nblock f 2 1\nblock f 2 1\nblock f 5 1\n",
	 "t.prof:3: block 'f 2' given twice"},
	/* repeats in the writer's order (the reader skips the sort there, and
	 * shares a run's function name between its entries) */
	{"olayout-profile 4\ninsn f 4 1\ninsn f 4 2\ninsn f 8 1\n",
	 "t.prof:3: insn 'f 4' given twice"},
	{"olayout-profile 4\ninsn f 4 1\ninsn g 0 1\ninsn g 4 1\ninsn g 4 1\n",
	 "t.prof:5: insn 'g 4' given twice"},
	{"olayout-profile 1\nedge a b 1\nedge a b 2\nedge a c 1\n",
	 "t.prof:3: edge 'a b' given twice"},
	{"olayout-profile 2\nfunction f 1 2\nfunction f 3 4\nfunction g 1 2\n",
	 "t.prof:3: function 'f' given twice"},
	/* the earliest repeat of any kind is the one reported */
	{"olayout-profile 2\nfunction f 1 2\nedge a b 1\nedge a b 1\nfunction f 1 2\n",
	 "t.prof:4: edge 'a b' given twice"},
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
	rc = ol_profile_load("/", &p, err, sizeof err);
	tap_is_int(rc, -EISDIR, "a directory gives -EISDIR");
	tap_is_str(err, "/: cannot read: Is a directory", "a directory: the message says so");

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
	tap_plan(24 + 23 + 1 + 3 + 3 + 2 * (int)(sizeof bad / sizeof bad[0]) + 7 + 6 + 5 + 6 +
		 6 /* check_blocks */ + 1 /* check_write: version 7 */);
	check_good();
	check_good2();
	check_v1_absent();
	check_write();
	check_large();
	check_bad();
	check_binary();
	check_files();
	check_branches();
	check_copies();
	check_blocks();
	return tap_done();
}
