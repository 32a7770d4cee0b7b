/* ol_paths.c - `olayout paths`: a profile mapped onto an executable (see
 * ol_paths.h and tools/olayout/README.md). */
#include "ol_paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ol_cmd.h"
#include "ol_exe.h"
#include "ol_profile.h"
#include "ol_util.h"

/* Everything a command needs, opened by paths_open and freed by paths_close. */
struct pctx {
	const struct ol_paths_opts *o;
	struct ol_profile *prof;
	struct ol_exe x;
	uint64_t *cold;		/* per unit: bytes of its .cold fragments */
	size_t *hits;		/* scratch: units one profile name matches */
	bool *seen;		/* scratch: units already counted for a path */
	bool *hit;		/* scratch of find(): units already in hits */
	uint64_t *lines;	/* scratch: i-cache line numbers of a path */
	size_t nlines, maxlines;
};

/* GCC's clones of f (f.isra.0, f.constprop.0, f.part.0, f.lto_priv.0) are f
 * to the plugin (and to plugin/hot_bytes.sh), so a profile name matches
 * them too; olayout's own clones f.clone.PATH are listed apart. */
bool ol_paths_names(const char *sym, const char *fn)
{
	size_t n = strlen(fn);

	return strncmp(sym, fn, n) == 0 &&
	       (sym[n] == '\0' || (sym[n] == '.' && strstr(sym + n, ".clone.") == NULL));
}

/* find: the function units (no fragments, no clones) named fn or one of its
 * GCC variants, into c->hits; returns how many. */
static size_t find(struct pctx *c, const char *fn)
{
	const struct ol_model *m = &c->x.m;
	size_t n = 0;

	memset(c->hit, 0, m->nunit * sizeof *c->hit);
	for (size_t i = 0; i < m->nname; i++) {
		size_t u = m->names[i].unit;

		if (m->unit[u].frag || m->unit[u].orig >= 0 || c->hit[u] ||
		    !ol_paths_names(m->names[i].name, fn))
			continue;
		c->hit[u] = true;
		c->hits[n++] = u;
	}
	return n;
}

/* member: the l-th function of a path: its root (l == 0), then the layers. */
static const char *member(const struct ol_profile_path *pa, size_t l)
{
	return l == 0 ? pa->root : pa->layers[l - 1];
}

/* clone_for: unit v is the clone of function unit u made for path. */
static bool clone_for(const struct pctx *c, size_t v, size_t u, const char *path)
{
	const struct ol_unit *cv = &c->x.m.unit[v];

	return cv->orig == (long)u && !cv->frag && cv->path && strcmp(cv->path, path) == 0;
}

/* missing: warn about (or with --strict, fail on) a profile function absent
 * from the executable. what says where the profile names it. */
static int missing(struct pctx *c, const char *what, const char *fn, struct ol_err *err)
{
	if (c->o->strict)
		return ol_fail(err, -ENOENT, "%s: %s '%s' not in %s", c->o->profile, what, fn,
			       c->o->exe);
	ol_warn("%s: %s '%s' not in %s", c->o->profile, what, fn, c->o->exe);
	return 0;
}

/* check_missing: every path and library function present, or its warning. */
static int check_missing(struct pctx *c, struct ol_err *err)
{
	const struct ol_profile *p = c->prof;
	char what[160];
	int rc = 0;

	for (size_t i = 0; i < p->n_paths && rc == 0; i++) {
		const struct ol_profile_path *pa = &p->paths[i];

		for (size_t l = 0; l <= pa->n_layers && rc == 0; l++) {
			snprintf(what, sizeof what, "path %s: %s", pa->name, l ? "layer" : "root");
			if (find(c, member(pa, l)) == 0)
				rc = missing(c, what, member(pa, l), err);
		}
	}
	for (size_t i = 0; i < p->n_library && rc == 0; i++)
		if (find(c, p->library[i]) == 0)
			rc = missing(c, "library function", p->library[i], err);
	return rc;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* add_lines: the i-cache lines (of line bytes) unit u covers, to c->lines. */
static int add_lines(struct pctx *c, size_t u, unsigned long line, struct ol_err *err)
{
	const struct ol_unit *un = &c->x.m.unit[u];
	uint64_t first = un->addr / line, last = (un->addr + un->size - 1) / line;

	if (ol_grow((void **)&c->lines, &c->maxlines, c->nlines + (size_t)(last - first + 1),
		    sizeof *c->lines))
		return ol_fail(err, -ENOMEM, "%s: out of memory", c->o->exe);
	for (uint64_t i = first; i <= last; i++)
		c->lines[c->nlines++] = i;
	return 0;
}

/* The i-cache footprint of a path for one cache geometry. */
struct footprint {
	size_t lines;		/* distinct lines the path's hot code covers */
	size_t sets_over;	/* sets holding more of them than there are ways */
};

/* path_units: the hot units path pa runs, each once, into c->hits (its
 * clones for pa where the rewrite made them, else the function itself). */
static size_t path_units(struct pctx *c, const struct ol_profile_path *pa)
{
	size_t *run = malloc((c->x.m.nunit + 1) * sizeof *run);
	size_t n = 0;

	if (run == NULL)
		return (size_t)-1;
	memset(c->seen, 0, c->x.m.nunit * sizeof *c->seen);
	for (size_t l = 0; l <= pa->n_layers; l++) {
		size_t k = find(c, member(pa, l));

		for (size_t h = 0; h < k; h++) {
			size_t u = c->hits[h];
			bool cloned = false;

			for (size_t v = 0; v < c->x.m.nunit; v++) {
				if (clone_for(c, v, u, pa->name)) {
					cloned = true;
					if (!c->seen[v])
						run[n++] = v;
					c->seen[v] = true;
				}
			}
			if (!cloned && !c->seen[u])
				run[n++] = u;
			c->seen[u] = true;
		}
	}
	memcpy(c->hits, run, n * sizeof *run);
	free(run);
	return n;
}

/* footprint: the distinct lines the units in c->hits cover, then the sets
 * holding more of them than the cache has ways (sorting the lines' set
 * numbers, so a cache of any size needs no table of sets). */
static int footprint(struct pctx *c, size_t nrun, const struct ol_profile_cache *ca,
		     struct footprint *fp, struct ol_err *err)
{
	uint64_t nsets = ca->size / (ca->assoc * ca->line);
	uint64_t prev = 0;
	size_t n = 0, run = 0;
	int rc = 0;

	c->nlines = 0;
	for (size_t i = 0; i < nrun && rc == 0; i++)
		rc = add_lines(c, c->hits[i], ca->line, err);
	if (rc || c->nlines == 0)
		return rc;
	qsort(c->lines, c->nlines, sizeof *c->lines, u64_cmp);
	for (size_t i = 0; i < c->nlines; i++) {
		uint64_t line = c->lines[i];

		if (i == 0 || line != prev)
			c->lines[n++] = line % nsets;
		prev = line;
	}
	fp->lines = n;
	qsort(c->lines, n, sizeof *c->lines, u64_cmp);
	for (size_t i = 0; i < n; i++) {
		run = i > 0 && c->lines[i] == c->lines[i - 1] ? run + 1 : 1;
		if (run == ca->assoc + 1)
			fp->sets_over++;
	}
	return 0;
}

/* Output: text lines or one JSON object; sep() writes the comma before
 * every JSON element but the first of its list. */
static void sep(bool json, bool *first)
{
	if (json && !*first)
		putchar(',');
	*first = false;
}

/* print_code: where unit v lies and its sizes; in text after word. */
static void print_code(const struct pctx *c, size_t v, const char *word)
{
	const struct ol_unit *un = &c->x.m.unit[v];
	unsigned long long addr = un->addr, hot = un->size, cold = c->cold[v];

	if (c->o->json) {
		printf("\"symbol\":");
		ol_json_str(un->name);
		printf(",\"addr\":%llu,\"hot\":%llu,\"cold\":%llu", addr, hot, cold);
	} else {
		printf("%s %s 0x%llx %llu cold %llu", word, un->name, addr, hot, cold);
	}
}

/* print_unit: one profile function as found (unit u, or missing with u < 0);
 * with path, also its clones for that path. */
static void print_unit(const struct pctx *c, const char *role, const char *fn, long u,
		       const char *path)
{
	bool json = c->o->json, first = true;

	if (json)
		printf("{\"role\":\"%s\",\"name\":\"%s\",\"found\":%s%s", role, fn,
		       u >= 0 ? "true" : "false", u >= 0 ? "," : "}");
	else
		printf("%s%s %s%s", path ? "  " : "", role, fn, u >= 0 ? "" : " missing\n");
	if (u < 0)
		return;
	print_code(c, (size_t)u, "");
	if (json)
		printf(",\"clones\":[");
	for (size_t v = 0; path && v < c->x.m.nunit; v++) {
		if (!clone_for(c, v, (size_t)u, path))
			continue;
		sep(json, &first);
		printf(json ? "{" : "");
		print_code(c, v, " clone");
		printf(json ? "}" : "");
	}
	printf(json ? "]}" : "\n");
}

/* print_found: profile name fn in role, once for each function it matches
 * (GCC variants, statics of several files), or once as missing. */
static void print_found(struct pctx *c, const char *role, const char *fn, const char *path,
			bool *first)
{
	size_t k = find(c, fn);

	for (size_t h = 0; h < (k ? k : 1); h++) {
		sep(c->o->json, first);
		print_unit(c, role, fn, k ? (long)c->hits[h] : -1, path);
	}
}

/* print_members: the root and layers of a path. */
static void print_members(struct pctx *c, const struct ol_profile_path *pa, bool *first)
{
	for (size_t l = 0; l <= pa->n_layers; l++)
		print_found(c, l == 0 ? "root" : "layer", member(pa, l), pa->name, first);
}

static int print_path(struct pctx *c, const struct ol_profile_path *pa, struct ol_err *err)
{
	bool json = c->o->json;
	uint64_t hot = 0, cold = 0;
	size_t nfn = 0, nrun;
	bool first = true;
	int rc = 0;

	memset(c->seen, 0, c->x.m.nunit * sizeof *c->seen);
	for (size_t l = 0; l <= pa->n_layers; l++) {
		size_t k = find(c, member(pa, l));

		for (size_t h = 0; h < k; h++) {
			if (c->seen[c->hits[h]])
				continue;
			c->seen[c->hits[h]] = true;
			hot += c->x.m.unit[c->hits[h]].size;
			cold += c->cold[c->hits[h]];
			nfn++;
		}
	}
	printf(json ? "{\"name\":\"%s\",\"hot\":%llu,\"cold\":%llu,\"functions\":%zu,\"caches\":["
		    : "path %s hot %llu cold %llu functions %zu\n",
	       pa->name, (unsigned long long)hot, (unsigned long long)cold, nfn);
	nrun = path_units(c, pa);
	if (nrun == (size_t)-1)
		return ol_fail(err, -ENOMEM, "%s: out of memory", c->o->exe);
	for (size_t i = 0; i < c->prof->n_caches && rc == 0; i++) {
		const struct ol_profile_cache *ca = &c->prof->caches[i];
		struct footprint fp = { 0, 0 };

		rc = footprint(c, nrun, ca, &fp, err);
		if (rc)
			break;
		sep(json, &first);
		printf(json ? "{\"name\":\"%s\",\"line\":%lu,\"lines\":%zu,\"sets_over_assoc\":%zu}"
			    : "  cache %s line %lu lines %zu sets-over-assoc %zu\n",
		       ca->name, ca->line, fp.lines, fp.sets_over);
	}
	if (json)
		printf("],\"members\":[");
	first = true;
	print_members(c, pa, &first);
	if (json)
		printf("]}");
	return rc;
}

static int print_all(struct pctx *c, struct ol_err *err)
{
	const struct ol_profile *p = c->prof;
	bool json = c->o->json, first = true;
	int rc = 0;

	if (json) {
		printf("{\"profile\":");
		ol_json_str(c->o->profile);
		printf(",\"file\":");
		ol_json_str(c->o->exe);
		printf(",\"paths\":[");
	} else {
		printf("profile %s exe %s\n", c->o->profile, c->o->exe);
	}
	for (size_t i = 0; i < p->n_paths && rc == 0; i++) {
		sep(json, &first);
		rc = print_path(c, &p->paths[i], err);
	}
	if (rc)
		return rc;
	if (json)
		printf("],\"library\":[");
	first = true;
	for (size_t i = 0; i < p->n_library; i++)
		print_found(c, "library", p->library[i], NULL, &first);
	if (json)
		printf("]}\n");
	return 0;
}

static void paths_close(struct pctx *c)
{
	free(c->cold);
	free(c->hits);
	free(c->seen);
	free(c->hit);
	free(c->lines);
	ol_exe_close(&c->x);
	ol_profile_free(c->prof);
}

/* load: the profile, or the parser's one line in err. */
static int load(const char *file, struct ol_profile **p, struct ol_err *err)
{
	char perr[OL_PROFILE_ERR_MAX];
	int rc = ol_profile_load(file, p, perr, sizeof perr);

	return rc < 0 ? ol_fail(err, rc, "%s", perr) : 0;
}

/* paths_open: the profile first (its error is the one to see), then EXE. */
static int paths_open(struct pctx *c, struct ol_err *err)
{
	size_t n;
	int rc = load(c->o->profile, &c->prof, err);

	if (rc < 0)
		return rc;
	rc = ol_exe_open(&c->x, c->o->exe, err);
	if (rc < 0)
		return rc;
	n = c->x.m.nunit + 1;
	c->cold = calloc(n, sizeof *c->cold);
	c->hits = calloc(n, sizeof *c->hits);
	c->seen = calloc(n, sizeof *c->seen);
	c->hit = calloc(n, sizeof *c->hit);
	if (c->cold == NULL || c->hits == NULL || c->seen == NULL || c->hit == NULL)
		return ol_fail(err, -ENOMEM, "%s: out of memory", c->o->exe);
	for (size_t u = 0; u < c->x.m.nunit; u++)
		if (c->x.m.unit[u].frag)
			c->cold[c->x.m.unit[u].func] += c->x.m.unit[u].size;
	return 0;
}

/* print_names: without EXE, the profile's paths and library marks as it
 * names them, nothing looked up: how scripts read the format (never by
 * hand: comments, blank lines and field rules are the parser's). */
static void print_names(const struct ol_paths_opts *o, const struct ol_profile *p)
{
	bool json = o->json, first = true;

	if (json) {
		printf("{\"profile\":");
		ol_json_str(o->profile);
		printf(",\"file\":null,\"paths\":[");
	} else {
		printf("profile %s\n", o->profile);
	}
	for (size_t i = 0; i < p->n_paths; i++) {
		const struct ol_profile_path *pa = &p->paths[i];
		bool mfirst = true;

		sep(json, &first);
		printf(json ? "{\"name\":\"%s\",\"members\":[" : "path %s\n", pa->name);
		for (size_t l = 0; l <= pa->n_layers; l++) {
			sep(json, &mfirst);
			printf(json ? "{\"role\":\"%s\",\"name\":\"%s\"}" : "  %s %s\n",
			       l ? "layer" : "root", member(pa, l));
		}
		printf(json ? "]}" : "");
	}
	printf(json ? "],\"library\":[" : "");
	first = true;
	for (size_t i = 0; i < p->n_library; i++) {
		sep(json, &first);
		printf(json ? "{\"role\":\"library\",\"name\":\"%s\"}" : "library %s\n",
		       p->library[i]);
	}
	printf(json ? "]}\n" : "");
}

static int list_profile(const struct ol_paths_opts *o, struct ol_err *err)
{
	struct ol_profile *p;
	int rc = load(o->profile, &p, err);

	if (rc < 0)
		return rc;
	print_names(o, p);
	ol_profile_free(p);
	return 0;
}

int ol_cmd_paths(const struct ol_paths_opts *o, struct ol_err *err)
{
	struct pctx c = { .o = o, .x = { .fd = -1 } };
	int rc;

	if (o->exe == NULL)
		return list_profile(o, err);
	rc = paths_open(&c, err);

	if (rc == 0)
		rc = check_missing(&c, err);
	if (rc == 0)
		rc = print_all(&c, err);
	paths_close(&c);
	return rc;
}
