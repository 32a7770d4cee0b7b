/* ol_prof_cg.c - reader of callgrind's output format (see ol_prof_cg.h). */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof_cg.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ol_util.h"

#define MAX_ID (1UL << 24)

struct reader {
	struct ol_cg *cg;
	const char *path;
	unsigned long lineno;
	struct ol_err *err;
	size_t cap[OL_CG_KINDS], insn_cap, call_cap, jump_cap;
	bool have_events, have_instr, have_line;
	size_t ir;			/* column of Ir among the events */
	long ob, fn, cob, cfn;		/* current names (-1: none) */
	uint64_t pos[2];		/* the last position: instr, line */
	bool call_pending, jump_pending;
	struct ol_cg_call call;		/* the pending call */
	struct ol_cg_jump jump;		/* the pending conditional jump (count 0: none) */
};

static int bad(struct reader *r, const char *what)
{
	return ol_fail(r->err, -EINVAL, "%s:%lu: %s", r->path, r->lineno, what);
}

static int no_memory(struct reader *r)
{
	return ol_fail(r->err, -ENOMEM, "%s: out of memory", r->path);
}

/* A name field: "(id) name" defines id, "(id)" uses it, "name" gets a new
 * id. The id goes to *out. */
static int name(struct reader *r, int kind, char *s, long *out)
{
	struct ol_cg *cg = r->cg;
	size_t id = cg->nnames[kind];
	char *text = s;
	if (*s == '(') {
		char *end;
		unsigned long v = strtoul(s + 1, &end, 10);
		if (end == s + 1 || *end != ')' || v >= MAX_ID)
			return bad(r, "bad name id");
		id = v;
		text = end + 1;
		if (*text == '\0') {
			if (id >= cg->nnames[kind] || !cg->names[kind][id])
				return bad(r, "name id used before it is defined");
			*out = (long)id;
			return 0;
		}
		if (*text != ' ')
			return bad(r, "bad name id");
		text++;
	}
	if (ol_grow((void **)&cg->names[kind], &r->cap[kind], id + 1, sizeof *cg->names[kind]) < 0)
		return no_memory(r);
	for (size_t i = cg->nnames[kind]; i <= id; i++)
		cg->names[kind][i] = NULL;
	if (id >= cg->nnames[kind])
		cg->nnames[kind] = id + 1;
	if (cg->names[kind][id] && strcmp(cg->names[kind][id], text) != 0)
		return bad(r, "name id defined twice");
	if (!cg->names[kind][id] && !(cg->names[kind][id] = strdup(text)))
		return no_memory(r);
	*out = (long)id;
	return 0;
}

/* A decimal number. */
static int number(struct reader *r, char **s, uint64_t *out)
{
	char *end;
	if (!isdigit((unsigned char)**s))
		return bad(r, "bad number");
	errno = 0;
	*out = strtoull(*s, &end, 10);
	if (errno)
		return bad(r, "number too large");
	*s = end;
	return 0;
}

/* One position field: 0xHEX or DECIMAL absolute, +N / -N relative to last,
 * or * (the same). */
static int position(struct reader *r, char **s, uint64_t last, uint64_t *out)
{
	char *p = *s, *end;
	uint64_t v;
	errno = 0;
	if (*p == '*') {
		v = last;
		end = p + 1;
	} else if (*p == '+' || *p == '-') {
		if (!isdigit((unsigned char)p[1]))
			return bad(r, "bad position");
		uint64_t d = strtoull(p + 1, &end, 10);
		if (*p == '-' && d > last)
			return bad(r, "position below 0");
		v = *p == '+' ? last + d : last - d;
	} else if (p[0] == '0' && p[1] == 'x') {
		v = strtoull(p + 2, &end, 16);
		if (end == p + 2)
			return bad(r, "bad position");
	} else if (isdigit((unsigned char)*p)) {
		v = strtoull(p, &end, 10);
	} else
		return bad(r, "bad position");
	if (errno || (*end && *end != ' ' && *end != '\t'))
		return bad(r, "bad position");
	*s = end + strspn(end, " \t");
	*out = v;
	return 0;
}

/* The positions at *s (relative to r->pos) into pos[]. */
static int positions(struct reader *r, char **s, uint64_t pos[2])
{
	int rc = position(r, s, r->pos[0], &pos[0]);
	pos[1] = r->pos[1];
	if (rc == 0 && r->have_line)
		rc = position(r, s, r->pos[1], &pos[1]);
	return rc;
}

/* A cost line: positions, then the events' counts (missing ones are 0). */
static int cost_line(struct reader *r, char *s)
{
	uint64_t pos[2], v, ir = 0;
	int rc = positions(r, &s, pos);
	for (size_t i = 0; rc == 0 && *s; i++) {
		if (!isdigit((unsigned char)*s))
			return bad(r, "bad cost");
		rc = number(r, &s, &v);
		if (rc == 0 && *s && *s != ' ' && *s != '\t')
			rc = bad(r, "bad cost");
		s += strspn(s, " \t");
		if (i == r->ir)
			ir = v;
	}
	if (rc < 0)
		return rc;
	memcpy(r->pos, pos, sizeof r->pos);
	struct ol_cg *cg = r->cg;
	if (r->jump_pending) { /* the jump's source: no cost of its own */
		r->jump_pending = false;
		if (r->jump.count == 0)
			return 0;
		if (r->ob < 0)
			return bad(r, "jump outside an object");
		r->jump.from = pos[0];
		r->jump.ob = (size_t)r->ob;
		if (ol_grow((void **)&cg->jump, &r->jump_cap, cg->njump + 1, sizeof *cg->jump) < 0)
			return no_memory(r);
		cg->jump[cg->njump++] = r->jump;
		return 0;
	}
	if (r->fn < 0)
		return bad(r, "cost line outside a function");
	if (r->call_pending) {
		r->call_pending = false;
		r->call.from = pos[0];
		r->call.incl = ir;
		if (ol_grow((void **)&cg->call, &r->call_cap, cg->ncall + 1, sizeof *cg->call) < 0)
			return no_memory(r);
		cg->call[cg->ncall++] = r->call;
		return 0;
	}
	if (ir == 0)
		return 0;
	if (ol_grow((void **)&cg->insn, &r->insn_cap, cg->ninsn + 1, sizeof *cg->insn) < 0)
		return no_memory(r);
	cg->insn[cg->ninsn++] = (struct ol_cg_insn){pos[0], ir, (size_t)r->ob, (size_t)r->fn};
	return 0;
}

/* calls=COUNT TARGET: the next cost line is the call's. */
static int calls_line(struct reader *r, char *s)
{
	uint64_t count, target[2];
	int rc = number(r, &s, &count);
	if (rc == 0 && *s != ' ')
		rc = bad(r, "bad calls= line");
	s += strspn(s, " \t");
	if (rc == 0)
		rc = positions(r, &s, target);
	if (rc < 0)
		return rc;
	if (r->cfn < 0 || r->ob < 0)
		return bad(r, "calls= without cfn=");
	r->call = (struct ol_cg_call){.to = target[0], .count = count, .ob = (size_t)r->ob,
				      .cob = (size_t)(r->cob >= 0 ? r->cob : r->ob),
				      .cfn = (size_t)r->cfn};
	r->cob = -1; /* cob= names the callee's object of one call */
	r->call_pending = true;
	return 0;
}

/* jump=COUNT TARGET or jcnd=TAKEN/EXECUTED TARGET: the next line is the
 * jump's source position. A conditional jump's taken count is kept. */
static int jump_line(struct reader *r, char *s, bool cond)
{
	uint64_t v, taken = 0, target[2] = {0, 0};
	int rc = number(r, &s, &v);
	if (rc == 0 && cond && *s != '/')
		rc = bad(r, "bad jcnd= line");
	if (rc == 0 && cond) {
		s++;
		taken = v;
		rc = number(r, &s, &v);
	}
	if (rc == 0 && *s != ' ')
		rc = bad(r, "bad jump line");
	s += strspn(s, " \t");
	if (rc == 0)
		rc = positions(r, &s, target);
	r->jump_pending = rc == 0;
	r->jump = (struct ol_cg_jump){.to = target[0], .count = taken};
	return rc;
}

static int header_positions(struct reader *r, const char *s)
{
	r->have_instr = strncmp(s, "instr", 5) == 0 && (s[5] == '\0' || s[5] == ' ');
	r->have_line = strcmp(s, "line") == 0 || strcmp(s, "instr line") == 0;
	if (!r->have_instr)
		return bad(r, "no instruction addresses (run callgrind with --dump-instr=yes)");
	if (!r->have_line && strcmp(s, "instr") != 0)
		return bad(r, "unknown positions");
	return 0;
}

static int header_events(struct reader *r, char *s)
{
	size_t i = 0;
	for (char *save = NULL, *tok = strtok_r(s, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save), i++)
		if (strcmp(tok, "Ir") == 0) {
			r->ir = i;
			r->have_events = true;
		}
	return r->have_events ? 0 : bad(r, "no Ir event");
}

/* The name lines: KEY=NAME. */
static const struct {
	const char *key;
	int kind;
	size_t which;		/* offsetof the id it sets in struct reader, or 0 */
} name_keys[] = {
	{"ob=", OL_CG_OB, offsetof(struct reader, ob)},
	{"cob=", OL_CG_OB, offsetof(struct reader, cob)},
	{"fn=", OL_CG_FN, offsetof(struct reader, fn)},
	{"cfn=", OL_CG_FN, offsetof(struct reader, cfn)},
	{"jfn=", OL_CG_FN, 0},
	{"fl=", OL_CG_FL, 0},
	{"fi=", OL_CG_FL, 0},
	{"fe=", OL_CG_FL, 0},
	{"cfi=", OL_CG_FL, 0},
	{"cfl=", OL_CG_FL, 0},
	{"jfi=", OL_CG_FL, 0},
};

static int body_line(struct reader *r, char *s)
{
	for (size_t i = 0; i < sizeof name_keys / sizeof name_keys[0]; i++) {
		size_t n = strlen(name_keys[i].key);
		if (strncmp(s, name_keys[i].key, n) != 0)
			continue;
		long id = -1, dummy;
		long *slot = name_keys[i].which ? (long *)((char *)r + name_keys[i].which) : &dummy;
		int rc = name(r, name_keys[i].kind, s + n, &id);
		if (rc == 0)
			*slot = id;
		return rc;
	}
	if (r->call_pending || r->jump_pending) {
		if (!(isdigit((unsigned char)*s) || *s == '+' || *s == '-' || *s == '*'))
			return bad(r, "a call or jump without its source line");
		return cost_line(r, s);
	}
	if (strncmp(s, "calls=", 6) == 0)
		return calls_line(r, s + 6);
	if (strncmp(s, "jump=", 5) == 0 || strncmp(s, "jcnd=", 5) == 0)
		return jump_line(r, s + 5, s[1] == 'c');
	if (isdigit((unsigned char)*s) || *s == '+' || *s == '-' || *s == '*') {
		if (!r->have_instr)
			return bad(r, "no instruction addresses (run callgrind with --dump-instr=yes)");
		if (!r->have_events)
			return bad(r, "cost line before 'events:'");
		return cost_line(r, s);
	}
	if (strncmp(s, "positions:", 10) == 0)
		return header_positions(r, s + 10 + strspn(s + 10, " \t"));
	if (strncmp(s, "events:", 7) == 0)
		return header_events(r, s + 7);
	/* other headers (version:, cmd:, part:, summary:, totals:...) say nothing we need */
	size_t key = strspn(s, "abcdefghijklmnopqrstuvwxyz");
	if (key > 0 && s[key] == ':')
		return 0;
	return bad(r, "not a callgrind line");
}

int ol_cg_read(struct ol_cg *cg, const char *path, struct ol_err *err)
{
	struct reader r = {.cg = cg, .path = path, .err = err, .ob = -1, .fn = -1, .cob = -1,
			   .cfn = -1};
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	memset(cg, 0, sizeof *cg);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return ol_fail(err, -errno, "%s: %s", path, strerror(errno));
	errno = 0;
	while (rc == 0 && (n = getline(&line, &cap, fp)) >= 0) {
		r.lineno++;
		if ((size_t)n != strlen(line))
			rc = bad(&r, "NUL byte in a text file");
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (rc == 0 && n > 0 && line[0] != '#')
			rc = body_line(&r, line);
	}
	int read_errno = ferror(fp) ? (errno ? errno : EIO) : 0;	/* a directory reads EISDIR */
	if (rc == 0 && read_errno)
		rc = ol_fail(err, -read_errno, "%s: cannot read: %s", path, strerror(read_errno));
	if (rc == 0 && (!r.have_events || !r.have_instr))
		rc = ol_fail(err, -EINVAL, "%s: not a callgrind output file with instruction "
			     "counts (no 'events:' or 'positions: instr')", path);
	if (rc == 0 && (r.call_pending || r.jump_pending))
		rc = ol_fail(err, -EINVAL, "%s: truncated: ends inside a call or jump", path);
	free(line);
	fclose(fp);
	if (rc < 0)
		ol_cg_free(cg);
	return rc;
}

void ol_cg_free(struct ol_cg *cg)
{
	for (int k = 0; k < OL_CG_KINDS; k++) {
		for (size_t i = 0; i < cg->nnames[k]; i++)
			free(cg->names[k][i]);
		free(cg->names[k]);
	}
	free(cg->insn);
	free(cg->call);
	free(cg->jump);
	memset(cg, 0, sizeof *cg);
}

/* realloc to n elements of size sz (n may be 0). */
static int resize(void **p, size_t n, size_t sz)
{
	void *q = realloc(*p, (n ? n : 1) * sz);
	if (!q)
		return -ENOMEM;
	*p = q;
	return 0;
}

int ol_cg_append(struct ol_cg *dst, struct ol_cg *src, struct ol_err *err)
{
	size_t off[OL_CG_KINDS];
	int rc = 0;
	for (int k = 0; k < OL_CG_KINDS && rc == 0; k++)
		rc = resize((void **)&dst->names[k], dst->nnames[k] + src->nnames[k],
			    sizeof *dst->names[k]);
	if (rc == 0)
		rc = resize((void **)&dst->insn, dst->ninsn + src->ninsn, sizeof *dst->insn);
	if (rc == 0)
		rc = resize((void **)&dst->call, dst->ncall + src->ncall, sizeof *dst->call);
	if (rc < 0)	/* dst only has room to spare */
		return ol_fail(err, rc, "callgrind runs: out of memory");
	for (int k = 0; k < OL_CG_KINDS; k++) {
		off[k] = dst->nnames[k];
		memcpy(dst->names[k] + off[k], src->names[k], src->nnames[k] * sizeof *src->names[k]);
		dst->nnames[k] += src->nnames[k];
		src->nnames[k] = 0;	/* the names are dst's now */
	}
	for (size_t i = 0; i < src->ninsn; i++) {
		struct ol_cg_insn in = src->insn[i];
		in.ob += off[OL_CG_OB];
		in.fn += off[OL_CG_FN];
		dst->insn[dst->ninsn++] = in;
	}
	for (size_t i = 0; i < src->ncall; i++) {
		struct ol_cg_call c = src->call[i];
		c.ob += off[OL_CG_OB];
		c.cob += off[OL_CG_OB];
		c.cfn += off[OL_CG_FN];
		dst->call[dst->ncall++] = c;
	}
	ol_cg_free(src);
	return 0;
}
