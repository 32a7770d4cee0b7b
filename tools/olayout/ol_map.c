/* ol_map.c - `olayout map`: which code maps to which i-cache set, as a
 * picture (SVG, or PNG through rsvg-convert) and a summary (see ol_map.h
 * and tools/olayout/README.md). */
#define _GNU_SOURCE /* qsort_r */
#include "ol_map.h"

#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ol_exe.h"
#include "ol_plan.h"
#include "ol_paths.h"
#include "ol_tmp.h"

extern char **environ;

/* What a set holds, by priority: a cell takes the colour of its highest. */
enum role { R_COLD, R_OTHER, R_LIB, R_PATH, R_N };

static const char *const role_name[R_N] = { "cold", "other", "library", "path" };
static const char *const role_fill[R_N] = { "#c7c7c7", "#ff7f0e", "#2ca02c", "#1f77b4" };

/* The sets of one executable. */
struct emap {
	const char *exe;
	uint32_t *n;		/* per set: distinct hot lines */
	uint64_t *heat;		/* per set: instructions run in its lines */
	uint8_t *who;		/* per set: OR of 1 << role */
	uint64_t *tag;		/* per set: the last hot line counted */
	size_t used[R_N], conflicts, unused;
};

struct mctx {
	const struct ol_map_opts *o;
	struct ol_profile *prof;
	struct ol_geom g;
	uint64_t nsets;
	struct emap e[2];
	size_t ne;
};

/* named: the profile names sym as a path member (R_PATH), a library
 * function (R_LIB), or not at all (R_COLD). */
static enum role named(const struct ol_profile *p, const char *sym)
{
	for (size_t i = 0; i < p->n_paths; i++) {
		const struct ol_profile_path *pa = &p->paths[i];

		if (ol_paths_names(sym, pa->root))
			return R_PATH;
		for (size_t l = 0; l < pa->n_layers; l++)
			if (ol_paths_names(sym, pa->layers[l]))
				return R_PATH;
	}
	for (size_t i = 0; i < p->n_library; i++)
		if (ol_paths_names(sym, p->library[i]))
			return R_LIB;
	return R_COLD;
}

/* insns: the profile's instruction count of sym (or of the function GCC
 * made it from: sym up to its first '.'). */
static uint64_t insns(const struct ol_profile *p, const char *sym)
{
	const struct ol_profile_function *f = ol_profile_find_function(p, sym);
	char base[256];

	if (f == NULL && snprintf(base, sizeof base, "%.*s", (int)strcspn(sym, "."), sym) > 0)
		f = ol_profile_find_function(p, base);
	return f ? f->insns : 0;
}

/* role: what unit u is. A .cold fragment is cold; without a profile every
 * function is other hot code. A path clone is its path's code and its
 * original, which the path no longer runs, is other code. */
static enum role role(const struct mctx *c, const struct ol_model *m, size_t u,
		      const bool *cloned, uint64_t *count)
{
	const struct ol_unit *un = &m->unit[u];
	const char *name = un->orig >= 0 ? m->unit[un->orig].name : un->name;
	enum role r;

	*count = 0;
	if (un->frag)
		return R_COLD;
	if (c->prof == NULL)
		return R_OTHER;
	*count = insns(c->prof, name);
	if (un->orig >= 0 && un->path && ol_profile_find_path(c->prof, un->path))
		return R_PATH;
	r = named(c->prof, name);
	if (r == R_PATH && cloned[u])
		return R_OTHER;
	if (r != R_COLD)
		return r;
	return *count ? R_OTHER : R_COLD;
}

static int by_addr(const void *a, const void *b, void *arg)
{
	const struct ol_model *m = arg;
	uint64_t x = m->unit[*(const size_t *)a].addr, y = m->unit[*(const size_t *)b].addr;

	return x < y ? -1 : x > y;
}

/* add: unit [addr, addr+size) of role r run count times into e's sets. A
 * line is counted once, even when two units share it. */
static void add(const struct mctx *c, struct emap *e, const struct ol_unit *un, enum role r,
		uint64_t count)
{
	uint64_t line = c->g.line;

	for (uint64_t l = un->addr / line; un->size && l <= (un->addr + un->size - 1) / line; l++) {
		uint64_t set = l % c->nsets;
		uint64_t lo = l * line > un->addr ? l * line : un->addr;
		uint64_t hi = (l + 1) * line < un->addr + un->size ? (l + 1) * line
								   : un->addr + un->size;

		e->who[set] |= (uint8_t)(1u << r);
		if (r == R_COLD)
			continue;
		e->heat[set] += (uint64_t)((double)count * (double)(hi - lo) / (double)un->size);
		if (e->tag[set] != l) {
			e->tag[set] = l;
			e->n[set]++;
		}
	}
}

static int fill(struct mctx *c, struct emap *e, const struct ol_model *m, struct ol_err *err)
{
	size_t *order = malloc((m->nunit + 1) * sizeof *order);
	bool *cloned = calloc(m->nunit + 1, sizeof *cloned);

	if (!order || !cloned) {
		free(order);
		free(cloned);
		return ol_fail(err, -ENOMEM, "out of memory");
	}
	for (size_t u = 0; u < m->nunit; u++) {
		order[u] = u;
		if (m->unit[u].orig >= 0 && !m->unit[u].frag)
			cloned[m->unit[u].orig] = true;
	}
	qsort_r(order, m->nunit, sizeof *order, by_addr, (void *)m);
	for (size_t i = 0; i < m->nunit; i++) {
		uint64_t count;
		enum role r = role(c, m, order[i], cloned, &count);

		add(c, e, &m->unit[order[i]], r, count);
	}
	for (uint64_t s = 0; s < c->nsets; s++) {
		for (int r = R_OTHER; r < R_N; r++)
			e->used[r] += (e->who[s] >> r) & 1;
		e->used[R_COLD] += e->who[s] == 1u << R_COLD;
		e->unused += e->who[s] == 0;
		e->conflicts += e->n[s] > c->g.assoc;
	}
	free(order);
	free(cloned);
	return 0;
}

/* load: exe's sets. */
static int load(struct mctx *c, struct emap *e, const char *exe, struct ol_err *err)
{
	struct ol_exe x;
	int rc;

	e->exe = exe;
	e->n = calloc(c->nsets, sizeof *e->n);
	e->heat = calloc(c->nsets, sizeof *e->heat);
	e->who = calloc(c->nsets, sizeof *e->who);
	e->tag = malloc(c->nsets * sizeof *e->tag);
	if (!e->n || !e->heat || !e->who || !e->tag)
		return ol_fail(err, -ENOMEM, "out of memory");
	memset(e->tag, 0xff, c->nsets * sizeof *e->tag);
	rc = ol_exe_open(&x, exe, err);
	if (rc == 0)
		rc = fill(c, e, &x.m, err);
	ol_exe_close(&x);
	return rc;
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		const char *q = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
			      : *s == '"' ? "&quot;" : NULL;

		if (q)
			fputs(q, f);
		else
			fputc(*s, f);
	}
}

enum { CELL = 12, COLS = 64, TOP = 40, GAP = 40 };

static int top_role(uint8_t who)
{
	int r = R_N - 1;

	while (r >= 0 && !(who >> r & 1))
		r--;
	return r;
}

/* panel: executable e's sets as a grid at x0, shaded against max. */
static void panel(const struct mctx *c, FILE *f, const struct emap *e, unsigned x0, uint64_t max)
{
	unsigned cols = c->nsets < COLS ? (unsigned)c->nsets : COLS;

	fprintf(f, "<text x=\"%u\" y=\"20\">", x0);
	xml_text(f, e->exe);
	fprintf(f, " (%s %llu:%llu:%llu)</text>\n", c->g.name, (unsigned long long)c->g.size,
		(unsigned long long)c->g.assoc, (unsigned long long)c->g.line);
	for (uint64_t s = 0; s < c->nsets; s++) {
		int r = top_role(e->who[s]);
		double shade = r > R_COLD && max ? 0.3 + 0.7 * log1p((double)e->heat[s]) /
							  log1p((double)max) : 1.0;
		bool conflict = e->n[s] > c->g.assoc;

		fprintf(f, "<rect class=\"cell %s%s\" data-set=\"%llu\" x=\"%llu\" y=\"%llu\" "
			"width=\"%d\" height=\"%d\" fill=\"%s\" fill-opacity=\"%.2f\" stroke=\"%s\" "
			"stroke-width=\"%s\"><title>set %llu: %u hot lines, %llu instructions</title>"
			"</rect>\n", r < 0 ? "unused" : role_name[r], conflict ? " conflict" : "",
			(unsigned long long)s, (unsigned long long)(x0 + s % cols * CELL),
			(unsigned long long)(TOP + s / cols * CELL), CELL - 1, CELL - 1,
			r < 0 ? "#ffffff" : role_fill[r], shade, conflict ? "#d62728" : "#eeeeee",
			conflict ? "2" : "0.5", (unsigned long long)s, e->n[s],
			(unsigned long long)e->heat[s]);
	}
}

static int write_svg(const struct mctx *c, FILE *f)
{
	unsigned cols = c->nsets < COLS ? (unsigned)c->nsets : COLS;
	unsigned w = cols * CELL, rows = (unsigned)((c->nsets + cols - 1) / cols);
	unsigned width = (unsigned)c->ne * (w + GAP), height = TOP + rows * CELL + 40;
	uint64_t max = 0;

	for (size_t i = 0; i < c->ne; i++)
		for (uint64_t s = 0; s < c->nsets; s++)
			max = c->e[i].heat[s] > max ? c->e[i].heat[s] : max;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" "
		"font-family=\"sans-serif\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n", width < 600 ? 600 : width,
		height);
	for (size_t i = 0; i < c->ne; i++)
		panel(c, f, &c->e[i], (unsigned)i * (w + GAP), max);
	fprintf(f, "<text x=\"0\" y=\"%u\">", height - 12);
	for (int r = R_N - 1; r >= 0; r--)
		fprintf(f, "<tspan fill=\"%s\">&#9632; %s </tspan>", role_fill[r], role_name[r]);
	fputs("<tspan fill=\"#d62728\">&#9633; more hot lines than ways</tspan>; darker: run "
	      "more</text>\n</svg>\n", f);
	return ferror(f) ? -EIO : 0;
}

/* to_png: the SVG through rsvg-convert, which writes png. */
static int to_png(const struct mctx *c, const char *png, struct ol_err *err)
{
	int fd[2], st, rc;
	pid_t pid;
	posix_spawn_file_actions_t fa;
	char *argv[] = { "rsvg-convert", "-f", "png", "-o", (char *)png, NULL };
	FILE *f;

	if (pipe(fd) != 0)
		return ol_fail(err, -errno, "pipe: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd[0], 0);
	posix_spawn_file_actions_addclose(&fa, fd[1]);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd[0]);
	if (rc != 0) {
		close(fd[1]);
		return ol_fail(err, -rc, "%s: rsvg-convert: %s (install librsvg2-bin)", c->o->out,
			       strerror(rc));
	}
	f = fdopen(fd[1], "w");
	rc = f ? write_svg(c, f) : -errno;
	if (f ? fclose(f) != 0 : close(fd[1]) != 0)
		rc = rc ? rc : -EIO;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return ol_fail(err, -EIO, "%s: rsvg-convert failed", c->o->out);
	return rc ? ol_fail(err, rc, "%s: write error", c->o->out) : 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && strcmp(s + n - k, suffix) == 0;
}

/* save: the picture into o->out, through a temporary renamed at the end. */
static int save(const struct mctx *c, struct ol_err *err)
{
	struct ol_tmp t;
	int fd = ol_tmp_open(&t, c->o->out, err), rc;
	FILE *f;

	if (fd < 0)
		return fd;
	if (ends_with(c->o->out, ".png")) {
		close(fd);
		rc = to_png(c, t.tmp, err);
	} else {
		f = fdopen(fd, "w");
		rc = f ? write_svg(c, f) : -errno;
		if (f ? fclose(f) != 0 : close(fd) != 0)
			rc = rc ? rc : -EIO;
		if (rc)
			rc = ol_fail(err, rc, "%s: write error", c->o->out);
	}
	if (rc) {
		ol_tmp_discard(&t);
		return rc;
	}
	return ol_tmp_commit(&t, err);
}

static void summary(const struct mctx *c)
{
	for (size_t i = 0; i < c->ne; i++) {
		const struct emap *e = &c->e[i];

		printf("map %s cache %s %llu:%llu:%llu sets %llu: path %zu, library %zu, other hot "
		       "%zu, cold only %zu, unused %zu, conflicting %zu%s\n", e->exe, c->g.name,
		       (unsigned long long)c->g.size, (unsigned long long)c->g.assoc,
		       (unsigned long long)c->g.line, (unsigned long long)c->nsets,
		       e->used[R_PATH], e->used[R_LIB], e->used[R_OTHER], e->used[R_COLD],
		       e->unused, e->conflicts, c->prof ? "" : " (no profile: roles by symbol)");
	}
}

int ol_cmd_map(const struct ol_map_opts *o, struct ol_err *err)
{
	struct mctx c = { .o = o };
	char perr[OL_PROFILE_ERR_MAX];
	int rc = 0;

	if (!ends_with(o->out, ".svg") && !ends_with(o->out, ".png"))
		return ol_fail(err, -EINVAL, "%s: want a .svg or .png name", o->out);
	if (o->profile && (rc = ol_profile_load(o->profile, &c.prof, perr, sizeof perr)) < 0)
		return ol_fail(err, rc, "%s", perr);
	rc = ol_geom_parse(&c.g, o->cache, c.prof, o->profile, err);
	if (rc == 0) {
		c.nsets = c.g.size / (c.g.assoc * c.g.line);
		rc = load(&c, &c.e[c.ne++], o->exe, err);
	}
	if (rc == 0 && o->vs)
		rc = load(&c, &c.e[c.ne++], o->vs, err);
	if (rc == 0)
		rc = save(&c, err);
	if (rc == 0)
		summary(&c);
	for (size_t i = 0; i < c.ne; i++) {
		free(c.e[i].n);
		free(c.e[i].heat);
		free(c.e[i].who);
		free(c.e[i].tag);
	}
	ol_profile_free(c.prof);
	return rc;
}
