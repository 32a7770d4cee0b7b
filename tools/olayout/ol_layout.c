/* ol_layout.c - reading the layout file (see ol_layout.h). */
#include "ol_layout.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ol_util.h"

#define MAX_WORDS 8
/* the largest alignment: a way of a cache (alpha21064's 8 KiB, a direct-mapped
 * cache up to 64 KiB), so a unit can start at any set (README, layout format) */
#define MAX_ALIGN 65536

struct lctx {
	struct ol_layout *lay;
	const struct ol_model *m;
	const char *file;
	int line;
	struct ol_err *err;
	uint64_t align;
	bool skip;		/* --skip-unmovable */
	size_t cap_place, cap_route, cap_path, cap_same;
	/* the places of one unit, chained (a layout of a large program names
	 * tens of thousands of units: a scan of every place before each one
	 * for a repeat was quadratic): last[unit] is its latest place, same[i]
	 * the place of the same unit before place i; -1 ends a chain */
	long *last, *same;
};

static int lfail(struct lctx *c, const char *fmt, const char *a)
{
	char msg[300];

	snprintf(msg, sizeof msg, fmt, a);
	return ol_fail(c->err, -EINVAL, "%s:%d: %s", c->file, c->line, msg);
}

static bool good_name(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.$@-", *s))
			return false;
	return true;
}

static int parse_num(struct lctx *c, const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end != '\0' || *s == '-' || v > (1ull << 30))
		return lfail(c, "bad number '%s'", s);
	*out = v;
	return 0;
}

static int parse_align(struct lctx *c, const char *s, uint64_t *out)
{
	int rc = parse_num(c, s, out);

	if (rc == 0 && (*out == 0 || (*out & (*out - 1)) != 0 || *out > MAX_ALIGN))
		return lfail(c, "alignment '%s' is not a power of 2 up to 65536", s);
	return rc;
}

static int find_unit(struct lctx *c, const char *name, size_t *u)
{
	long r = ol_unit_named(c->m, name), g;
	char bare[300];

	if (r == -2)
		return lfail(c, "'%s' is ambiguous: static in several files: write NAME@FILE", name);
	snprintf(bare, sizeof bare, "%.*s", (int)strcspn(name, "@"), name);
	g = r < 0 && strchr(name, '@') ? ol_unit_named(c->m, bare) : -1;
	if (g >= 0 && c->m->unit[g].file == NULL)	/* NAME@FILE of a global NAME */
		return lfail(c, "unknown function '%s': NAME@FILE names a static function; "
			     "the global one is written without @FILE", name);
	if (r < 0)
		return lfail(c, "unknown function '%s'", name);
	*u = (size_t)r;
	return 0;
}

/* unmovable: unit u (named name) cannot move: the error, or with --skip-unmovable
 * the warning (the directive is then left out). */
static bool unmovable(struct lctx *c, const char *name, size_t u)
{
	const char *why = c->m->unit[u].why;

	if (!why[0])
		return false;
	if (c->skip)
		ol_warn("%s:%d: '%s' cannot move: %s: left in place", c->file, c->line, name, why);
	else
		ol_fail(c->err, -EINVAL, "%s:%d: '%s' cannot move: %s", c->file, c->line, name, why);
	return true;
}

static const char *intern(struct lctx *c, const char *p)
{
	struct ol_layout *lay = c->lay;

	for (size_t i = 0; i < lay->npath; i++)
		if (strcmp(lay->path[i], p) == 0)
			return lay->path[i];
	if (ol_grow((void **)&lay->path, &c->cap_path, lay->npath + 1, sizeof *lay->path))
		return NULL;
	lay->path[lay->npath] = strdup(p);
	return lay->path[lay->npath] ? lay->path[lay->npath++] : NULL;
}

static int add_place(struct lctx *c, char **w, int nw, bool clone)
{
	struct ol_layout *lay = c->lay;
	struct ol_place p = { .align = c->align, .line = c->line };
	int first_opt = clone ? 3 : 2;
	int rc;

	if (nw < first_opt)
		return lfail(c, "%s", clone ? "usage: clone NAME PATH [align=N] [pad=N]" :
				  "usage: place NAME [align=N] [pad=N]");
	rc = find_unit(c, w[1], &p.unit);
	if (rc)
		return rc;
	if (clone) {
		if (!good_name(w[2]) || strchr(w[2], '@'))
			return lfail(c, "bad path name '%s'", w[2]);
		p.path = intern(c, w[2]);
		if (p.path == NULL)
			return ol_fail(c->err, -ENOMEM, "out of memory");
		if (c->m->unit[p.unit].orig >= 0)
			return lfail(c, "'%s' is a clone already", w[1]);
	}
	for (int i = first_opt, seen = 0; i < nw; i++) {
		int opt = strncmp(w[i], "align=", 6) == 0 ? 1 : strncmp(w[i], "pad=", 4) == 0 ? 2 : 0;

		if (opt & seen)	/* a second one would silently win */
			rc = lfail(c, "'%s' given twice", opt == 1 ? "align=" : "pad=");
		else if (opt == 1)
			rc = parse_align(c, w[i] + 6, &p.align);
		else if (opt == 2)
			rc = parse_num(c, w[i] + 4, &p.pad);
		else
			rc = lfail(c, "unknown option '%s'", w[i]);
		seen |= opt;
		if (rc)
			return rc;
	}
	if (unmovable(c, w[1], p.unit))
		return c->skip ? 0 : -EINVAL;
	if (c->last == NULL) {
		c->last = malloc((c->m->nunit + 1) * sizeof *c->last);
		if (c->last == NULL)
			return ol_fail(c->err, -ENOMEM, "out of memory");
		for (size_t u = 0; u < c->m->nunit; u++)
			c->last[u] = -1;
	}
	for (long i = c->last[p.unit]; i >= 0; i = c->same[i])
		if (lay->place[i].path == p.path)
			return lfail(c, clone ? "'%s' cloned twice for the path" :
					"'%s' placed twice", w[1]);
	if (ol_grow((void **)&lay->place, &c->cap_place, lay->nplace + 1, sizeof *lay->place) ||
	    ol_grow((void **)&c->same, &c->cap_same, lay->nplace + 1, sizeof *c->same))
		return ol_fail(c->err, -ENOMEM, "out of memory");
	c->same[lay->nplace] = c->last[p.unit];
	c->last[p.unit] = (long)lay->nplace;
	lay->place[lay->nplace++] = p;
	return 0;
}

static int add_route(struct lctx *c, char **w, int nw)
{
	struct ol_layout *lay = c->lay;
	struct ol_route r = { .line = c->line };
	int rc;

	if (nw != 4)
		return lfail(c, "%s", "usage: route CALLER CALLEE PATH");
	rc = find_unit(c, w[1], &r.caller);
	if (rc == 0)
		rc = find_unit(c, w[2], &r.callee);
	if (rc)
		return rc;
	if (c->skip && c->m->unit[r.callee].why[0])
		return 0;	/* its clone was left out, with a warning */
	r.caller = c->m->unit[r.caller].func;
	r.path = intern(c, w[3]);
	if (r.path == NULL)
		return ol_fail(c->err, -ENOMEM, "out of memory");
	if (ol_grow((void **)&lay->route, &c->cap_route, lay->nroute + 1, sizeof *lay->route))
		return ol_fail(c->err, -ENOMEM, "out of memory");
	lay->route[lay->nroute++] = r;
	return 0;
}

/* Routes are checked once every clone is known. */
static int check_routes(struct lctx *c)
{
	struct ol_layout *lay = c->lay;

	for (size_t i = 0; i < lay->nroute; i++) {
		const struct ol_route *r = &lay->route[i];

		c->line = r->line;
		if (ol_layout_clone(lay, r->callee, r->path) < 0)
			return lfail(c, "route to '%s', which is not cloned for the path",
				     c->m->unit[r->callee].name);
		if (ol_layout_clone(lay, r->caller, r->path) >= 0)
			continue;
		for (size_t k = 0; k < i; k++) {
			const struct ol_route *q = &lay->route[k];

			if (q->caller == r->caller && q->callee == r->callee &&
			    q->path != r->path && ol_layout_clone(lay, q->caller, q->path) < 0)
				return lfail(c, "'%s' (not cloned) is routed to two clones",
					     c->m->unit[r->caller].name);
		}
	}
	return 0;
}

static int parse_line(struct lctx *c, char *s, bool *header)
{
	char *w[MAX_WORDS];
	int nw = 0;
	char *h = strchr(s, '#');

	if (h)
		*h = '\0';
	for (char *t = strtok(s, " \t\r\n"); t; t = strtok(NULL, " \t\r\n")) {
		if (nw == MAX_WORDS)
			return lfail(c, "%s", "bad directive: too many words");
		w[nw++] = t;
	}
	if (nw == 0)
		return 0;
	if (!*header) {
		if (nw != 2 || strcmp(w[0], "olayout-layout") != 0)
			return lfail(c, "%s", "expected 'olayout-layout 1' first");
		if (strcmp(w[1], "1") != 0)
			return lfail(c, "unsupported layout version '%s'", w[1]);
		*header = true;
		return 0;
	}
	for (int i = 1; i < nw; i++)
		if (!good_name(w[i]) && strchr(w[i], '=') == NULL)
			return lfail(c, "bad word '%s'", w[i]);
	if (strcmp(w[0], "align") == 0) {
		if (nw != 2)
			return lfail(c, "%s", "usage: align N");
		return parse_align(c, w[1], &c->align);
	}
	if (strcmp(w[0], "place") == 0)
		return add_place(c, w, nw, false);
	if (strcmp(w[0], "clone") == 0)
		return add_place(c, w, nw, true);
	if (strcmp(w[0], "route") == 0)
		return add_route(c, w, nw);
	return lfail(c, "bad directive '%s'", w[0]);
}

int ol_layout_read(struct ol_layout *lay, const char *file, const struct ol_model *m,
		   bool skip_unmovable, struct ol_err *err)
{
	FILE *f = fopen(file, "r");
	struct stat st;
	int rc;

	memset(lay, 0, sizeof *lay);
	if (f == NULL)
		return ol_fail(err, -errno, "%s: %s", file, strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return ol_fail(err, -EINVAL, "%s: not a regular file", file);
	}
	rc = ol_layout_read_from(lay, file, f, m, skip_unmovable, err);
	fclose(f);
	return rc;
}

int ol_layout_read_from(struct ol_layout *lay, const char *file, FILE *f,
			const struct ol_model *m, bool skip_unmovable, struct ol_err *err)
{
	struct lctx c = { .lay = lay, .m = m, .file = file, .err = err, .align = 16,
			  .skip = skip_unmovable };
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	bool header = false;
	int rc = 0;

	memset(lay, 0, sizeof *lay);
	while (rc == 0 && (n = getline(&buf, &cap, f)) > 0) {
		c.line++;
		if (memchr(buf, '\0', (size_t)n))
			rc = lfail(&c, "%s", "not text (a NUL byte)");
		else if (n > 1024)
			rc = lfail(&c, "%s", "line too long");
		else
			rc = parse_line(&c, buf, &header);
	}
	free(buf);
	free(c.last);
	free(c.same);
	if (rc == 0 && ferror(f))
		rc = ol_fail(err, -EIO, "%s: read error", file);
	if (rc == 0 && !header)
		rc = c.line ? ol_fail(err, -EINVAL, "%s:%d: expected 'olayout-layout 1'", file, c.line)
			    : ol_fail(err, -EINVAL, "%s: empty: expected 'olayout-layout 1'", file);
	if (rc == 0)
		rc = check_routes(&c);
	if (rc)
		ol_layout_free(lay);
	return rc;
}

void ol_layout_free(struct ol_layout *lay)
{
	for (size_t i = 0; i < lay->npath; i++)
		free(lay->path[i]);
	free(lay->path);
	free(lay->place);
	free(lay->route);
	memset(lay, 0, sizeof *lay);
}

long ol_layout_clone(const struct ol_layout *lay, size_t unit, const char *path)
{
	for (size_t i = 0; i < lay->nplace; i++)
		if (lay->place[i].unit == unit && lay->place[i].path == path)
			return (long)i;
	return -1;
}
