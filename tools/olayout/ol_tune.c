/*
 * ol_tune.c - `olayout tune`: where a layout's code begins, chosen by
 * simulation. A plan places the program's hot code against the sets of
 * the shared libraries' hot code only as far as its cost model sees; the
 * miss count of a set-associative cache moves by up to tens of percent
 * with the byte the placed code starts at (bench/external/shift.sh: jq on
 * the modern geometry 152528 to 168903 I1 misses over 16 starts 256
 * bytes apart), and no count-based model here predicted which start is
 * good (bench/results/external.md, 5 Dec 2026). So the layout is
 * rewritten with 0, STEP, ... (TRIES - 1) STEP more bytes of padding
 * after its first place (the first try is the layout as planned), each
 * output verified and run on the command under callgrind's simulation of
 * the cache, and the start with the fewest I1 misses (the first of
 * equals) is kept. A set's index depends on the address modulo
 * the way's size; a modern way (4 KiB) is a page, so the choice holds
 * wherever the loader maps the program and its libraries. The counts are
 * those of the training command: judge the choice on other input
 * (bench/external/bands.sh does).
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_tune.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ol_plan.h"
#include "ol_prof_run.h"
#include "ol_rewrite.h"
#include "ol_tmp.h"
#include "ol_util.h"

struct tctx {
	const struct ol_tune_opts *o;
	struct ol_geom g;
	char *text;		/* "\n" and the layout as read */
	size_t len;
	char *padded;		/* the layout of the current try */
	size_t plen;
	int status;		/* the command's wait status in the first try */
	bool wrote;		/* OUT holds a try */
};

/* pad_text: c->padded, the layout with pad more bytes after its first
 * place (pad= of that line the sum; its comment, the planned address, cut). */
static int pad_text(struct tctx *c, uint64_t pad, struct ol_err *err)
{
	char *place = strstr(c->text, "\nplace "), *old;
	size_t head, end, cut, skip = 0;
	uint64_t had = 0;
	FILE *f;

	if (place == NULL)
		return ol_fail(err, -EINVAL, "%s: no place line: nothing to move", c->o->layout);
	head = (size_t)(place - c->text) + 1;
	end = head + strcspn(c->text + head, "#\n");
	while (end > head && c->text[end - 1] == ' ')
		end--;
	old = strstr(c->text + head, " pad=");
	cut = old && (size_t)(old - c->text) < end ? (size_t)(old - c->text) : end;
	if (cut < end) {
		char *e;

		errno = 0;
		had = strtoull(old + 5, &e, 0);
		if (errno || e == old + 5 || old[5] == '-' || !strchr(" \t#\n", *e))
			return ol_fail(err, -EINVAL, "%s: the pad of its first place line is no number",
				       c->o->layout);
		skip = (size_t)(e - old);
	}
	free(c->padded);
	c->padded = NULL;
	f = open_memstream(&c->padded, &c->plen);
	if (f == NULL)
		return ol_fail(err, -ENOMEM, "out of memory");
	fwrite(c->text + 1, 1, cut - 1, f);
	fwrite(c->text + cut + skip, 1, end - cut - skip, f);
	fprintf(f, " pad=%" PRIu64, had + pad);
	fputs(c->text + end + strcspn(c->text + end, "\n"), f);
	return fclose(f) == 0 ? 0 : ol_fail(err, -ENOMEM, "out of memory");
}

/* build: OUT, the layout padded by pad, rewritten and verified. */
static int build(struct tctx *c, uint64_t pad, struct ol_err *err)
{
	struct ol_rewrite_opts ro = { .verify = true };
	int rc = pad_text(c, pad, err);

	if (rc)
		return rc;
	ro.stream = fmemopen(c->padded, c->plen, "r");
	if (ro.stream == NULL)
		return ol_fail(err, -ENOMEM, "out of memory");
	rc = ol_rewrite(c->o->exe, c->o->layout, c->o->out, &ro, err);
	fclose(ro.stream);
	c->wrote |= rc == 0;
	return rc;
}

/* misses: OUT's simulated I1 misses on the command (every run of OUT among
 * the processes it starts); the command must end as in the first try. */
static int misses(struct tctx *c, unsigned k, uint64_t *i1, struct ol_err *err)
{
	char cache[3][64];
	const char *tool[] = { "--cache-sim=yes", cache[0], cache[1], cache[2], NULL };
	struct ol_prof_cmd pc = { "tune", tool, NULL, c->o->cmd, 0, c->o->ncmd, true };
	struct ol_prof_run r;
	int rc;

	ol_prof_cache_opts(&c->g, cache);
	rc = ol_prof_run(&r, &pc, err);
	if (rc)
		return rc;
	rc = ol_prof_suite_i1(&r, c->o->out, i1, err);
	if (k == 0)
		c->status = r.status;
	else if (rc == 0 && r.status != c->status)
		rc = ol_fail(err, -ECHILD, "%s: the command ended with wait status %d in try 1, "
			     "%d in try %u", c->o->out, c->status, r.status, k + 1);
	ol_prof_run_clean(&r);
	return rc;
}

/* tries: every pad built and counted; *best the try with fewest misses. */
static int tries(struct tctx *c, unsigned *best, uint64_t *m, struct ol_err *err)
{
	int rc = 0;

	for (unsigned k = 0; rc == 0 && k < c->o->tries; k++) {
		rc = build(c, k * c->o->step, err);
		if (rc == 0)
			rc = misses(c, k, &m[k], err);
		if (rc == 0 && (k == 0 || m[k] < m[*best]))
			*best = k;
		if (rc == 0)
			fprintf(stderr, "olayout: tune: try %u of %u: pad %" PRIu64 " bytes: %" PRIu64
				" I1 misses\n", k + 1, c->o->tries, k * c->o->step, m[k]);
	}
	return rc;
}

/* load: the layout's text (with a leading newline, so that every line
 * follows one) and the geometry. */
static int load(struct tctx *c, struct ol_err *err)
{
	FILE *in = fopen(c->o->layout, "r"), *f;
	char buf[4096];
	size_t n;
	int rc = 0;

	if (in == NULL)
		return ol_fail(err, -errno, "%s: %s", c->o->layout, strerror(errno));
	f = open_memstream(&c->text, &c->len);
	if (f == NULL)
		rc = ol_fail(err, -ENOMEM, "out of memory");
	else
		fputc('\n', f);
	while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
		if (memchr(buf, '\0', n) || fwrite(buf, 1, n, f) != n)
			rc = ol_fail(err, -EINVAL, "%s: not a text file", c->o->layout);
	if (rc == 0 && ferror(in))
		rc = ol_fail(err, -EIO, "%s: read error", c->o->layout);
	if (f && fclose(f) != 0 && rc == 0)
		rc = ol_fail(err, -ENOMEM, "out of memory");
	fclose(in);
	if (rc == 0)
		rc = ol_geom_parse(&c->g, c->o->cache ? c->o->cache : "modern", NULL, NULL, err);
	return rc;
}

/* unlink_out: remove OUT, or the file its symlink names (what the rewrite
 * replaced). */
static void unlink_out(const char *out)
{
	char *target = realpath(out, NULL);

	unlink(target ? target : out);
	free(target);
}

int ol_cmd_tune(const struct ol_tune_opts *o, struct ol_err *err)
{
	struct tctx c = { .o = o };
	uint64_t *m = calloc(o->tries, sizeof *m);
	unsigned best = 0;
	int rc = m ? load(&c, err) : ol_fail(err, -ENOMEM, "out of memory");

	if (rc == 0)
		rc = tries(&c, &best, m, err);
	if (rc == 0 && best != o->tries - 1)	/* OUT holds the last try */
		rc = build(&c, best * o->step, err);
	if (rc == 0 && o->save_layout)
		rc = ol_tmp_save(o->save_layout, c.padded, c.plen, err);
	if (rc == 0)
		printf("%s: pad %" PRIu64 " bytes more (try %u of %u): %" PRIu64 " I1 misses on %s "
		       "%" PRIu64 ":%" PRIu64 ":%" PRIu64 ", %.4f of try 1's %" PRIu64 "\n",
		       o->out, best * o->step, best + 1, o->tries, m[best], o->cache ? o->cache : "modern",
		       c.g.size, c.g.assoc, c.g.line, (double)m[best] / (double)(m[0] ? m[0] : 1), m[0]);
	else if (c.wrote)	/* a try's output, not the choice */
		unlink_out(o->out);
	free(m);
	free(c.text);
	free(c.padded);
	return rc;
}
