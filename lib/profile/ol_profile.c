/*
 * ol_profile.c - reader of the profile format (profiles/README.md).
 *
 * One pass over the text, one directive per line; every problem stops the
 * parse with "FILE:LINE: problem" and frees what was built.
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_profile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES 4095
#define FILE_MAX_BYTES (256UL << 20)

struct parser {
	const char *name;
	unsigned long lineno;
	char *err;
	size_t errlen;
	struct ol_profile *p;
	unsigned long *edge_lines; /* line of each edge, for the duplicate check */
};

static int fail(struct parser *ps, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *ps, int code, const char *fmt, ...)
{
	if (ps->errlen == 0)
		return code;
	int n = snprintf(ps->err, ps->errlen, "%s:%lu: ", ps->name, ps->lineno);
	if (n >= 0 && (size_t)n < ps->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return code;
}

static int no_memory(struct parser *ps)
{
	return fail(ps, -ENOMEM, "out of memory");
}

/* Grows *arr by one element of size bytes; the new element is zeroed. */
static void *push(void *arr_p, size_t *n, size_t size)
{
	void **arr = arr_p;
	char *grown = realloc(*arr, (*n + 1) * size);
	if (!grown)
		return NULL;
	*arr = grown;
	memset(grown + *n * size, 0, size);
	return grown + (*n)++ * size;
}

static bool is_symbol(const char *s)
{
	static const char extra[] = "_.$";
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++) {
		bool alnum = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			     (*s >= '0' && *s <= '9');
		if (!alnum && !strchr(extra, *s))
			return false;
	}
	return true;
}

static int symbol(struct parser *ps, const char *s, const char *what)
{
	if (!is_symbol(s))
		return fail(ps, -EINVAL, "bad %s '%s': not a symbol name", what, s);
	return 0;
}

/* A decimal number < 2^64, digits only. */
static int number(struct parser *ps, const char *s, const char *what, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return fail(ps, -EINVAL, "bad %s '': not a number", what);
	for (const char *c = s; *c; c++) {
		if (*c < '0' || *c > '9')
			return fail(ps, -EINVAL, "bad %s '%s': not a number", what, s);
		unsigned d = (unsigned)(*c - '0');
		if (v > (UINT64_MAX - d) / 10)
			return fail(ps, -EINVAL, "bad %s '%s': too large", what, s);
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static bool in_list(char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* The path that names fn as root or layer, or NULL. */
static const struct ol_profile_path *path_with(const struct ol_profile *p, const char *fn)
{
	for (size_t i = 0; i < p->n_paths; i++) {
		const struct ol_profile_path *path = &p->paths[i];
		if (strcmp(path->root, fn) == 0 || in_list(path->layers, path->n_layers, fn))
			return path;
	}
	return NULL;
}

/* Appends a copy of s to a list of names; the caller checked s. */
static int add_name(struct parser *ps, char ***list, size_t *n, const char *s)
{
	char *copy = strdup(s);
	char **slot = copy ? push(list, n, sizeof **list) : NULL;
	if (!slot) {
		free(copy);
		return no_memory(ps);
	}
	*slot = copy;
	return 0;
}

static int do_cold_function(struct parser *ps, char **f, size_t nf)
{
	struct ol_profile *p = ps->p;
	(void)nf;
	int rc = symbol(ps, f[0], "function name");
	if (rc < 0)
		return rc;
	if (in_list(p->cold_functions, p->n_cold_functions, f[0]))
		return fail(ps, -EINVAL, "cold-function '%s' given twice", f[0]);
	return add_name(ps, &p->cold_functions, &p->n_cold_functions, f[0]);
}

static int do_cold_line(struct parser *ps, char **f, size_t nf)
{
	struct ol_profile *p = ps->p;
	uint64_t line;
	(void)nf;
	char *colon = strrchr(f[0], ':');
	if (!colon || colon == f[0])
		return fail(ps, -EINVAL, "bad location '%s': want FILE:LINE", f[0]);
	int rc = number(ps, colon + 1, "line number", &line);
	if (rc < 0)
		return rc;
	if (line == 0 || line > UINT32_MAX)
		return fail(ps, -EINVAL, "bad line number '%s': want 1 to %u", colon + 1,
			    UINT32_MAX);
	char *file = strndup(f[0], (size_t)(colon - f[0]));
	struct ol_profile_line *slot =
		file ? push(&p->cold_lines, &p->n_cold_lines, sizeof *slot) : NULL;
	if (!slot) {
		free(file);
		return no_memory(ps);
	}
	slot->file = file;
	slot->line = (unsigned long)line;
	return 0;
}

static void free_path(struct ol_profile_path *path)
{
	free(path->name);
	free(path->root);
	for (size_t i = 0; i < path->n_layers; i++)
		free(path->layers[i]);
	free(path->layers);
}

static int do_path(struct parser *ps, char **f, size_t nf)
{
	struct ol_profile *p = ps->p;
	int rc = symbol(ps, f[0], "path name");
	for (size_t i = 1; rc == 0 && i < nf; i++)
		rc = symbol(ps, f[i], "function name");
	if (rc < 0)
		return rc;
	if (ol_profile_find_path(p, f[0]))
		return fail(ps, -EINVAL, "path '%s' given twice", f[0]);
	for (size_t i = 1; i < nf; i++) {
		if (in_list(p->library, p->n_library, f[i]))
			return fail(ps, -EINVAL, "path '%s': '%s' is a library function",
				    f[0], f[i]);
	}

	struct ol_profile_path path = {0};
	path.name = strdup(f[0]);
	path.root = strdup(f[1]);
	path.layers = calloc(nf - 2, sizeof *path.layers);
	bool ok = path.name && path.root && path.layers;
	for (size_t i = 2; ok && i < nf; i++) {
		path.layers[path.n_layers] = strdup(f[i]);
		ok = path.layers[path.n_layers++] != NULL;
	}
	struct ol_profile_path *slot = ok ? push(&p->paths, &p->n_paths, sizeof *slot) : NULL;
	if (!slot) {
		free_path(&path);
		return no_memory(ps);
	}
	*slot = path;
	return 0;
}

static int do_library(struct parser *ps, char **f, size_t nf)
{
	struct ol_profile *p = ps->p;
	(void)nf;
	int rc = symbol(ps, f[0], "function name");
	if (rc < 0)
		return rc;
	if (in_list(p->library, p->n_library, f[0]))
		return fail(ps, -EINVAL, "library '%s' given twice", f[0]);
	const struct ol_profile_path *path = path_with(p, f[0]);
	if (path)
		return fail(ps, -EINVAL, "library '%s' is on path '%s'", f[0], path->name);
	return add_name(ps, &p->library, &p->n_library, f[0]);
}

static int do_edge(struct parser *ps, char **f, size_t nf)
{
	struct ol_profile *p = ps->p;
	uint64_t count;
	(void)nf;
	int rc = symbol(ps, f[0], "caller");
	if (rc == 0)
		rc = symbol(ps, f[1], "callee");
	if (rc == 0)
		rc = number(ps, f[2], "count", &count);
	if (rc < 0)
		return rc;

	size_t n = p->n_edges;
	unsigned long *lines = realloc(ps->edge_lines, (n + 1) * sizeof *lines);
	if (!lines)
		return no_memory(ps);
	ps->edge_lines = lines;
	lines[n] = ps->lineno;
	char *caller = strdup(f[0]), *callee = strdup(f[1]);
	struct ol_profile_edge *slot =
		caller && callee ? push(&p->edges, &p->n_edges, sizeof *slot) : NULL;
	if (!slot) {
		free(caller);
		free(callee);
		return no_memory(ps);
	}
	*slot = (struct ol_profile_edge){caller, callee, count};
	return 0;
}

static bool power_of_two(uint64_t v)
{
	return v && (v & (v - 1)) == 0;
}

static int do_cache(struct parser *ps, char **f, size_t nf)
{
	static const char *const what[] = {"cache size", "associativity", "line size"};
	struct ol_profile *p = ps->p;
	uint64_t v[3];
	(void)nf;
	int rc = symbol(ps, f[0], "cache name");
	for (int i = 0; rc == 0 && i < 3; i++) {
		rc = number(ps, f[i + 1], what[i], &v[i]);
		if (rc == 0 && (!power_of_two(v[i]) || v[i] > (1UL << 30)))
			rc = fail(ps, -EINVAL, "bad %s '%s': not a power of two up to 2^30",
				  what[i], f[i + 1]);
	}
	if (rc < 0)
		return rc;
	if (v[2] < 4)
		return fail(ps, -EINVAL, "bad line size '%s': below 4 bytes", f[3]);
	if (v[0] < v[1] * v[2])
		return fail(ps, -EINVAL, "cache '%s': size %s is below associativity x line size",
			    f[0], f[1]);
	if (ol_profile_find_cache(p, f[0]))
		return fail(ps, -EINVAL, "cache '%s' given twice", f[0]);

	char *name = strdup(f[0]);
	struct ol_profile_cache *slot =
		name ? push(&p->caches, &p->n_caches, sizeof *slot) : NULL;
	if (!slot) {
		free(name);
		return no_memory(ps);
	}
	*slot = (struct ol_profile_cache){name, v[0], v[1], v[2]};
	return 0;
}

static int do_version(struct parser *ps, char **f, size_t nf)
{
	uint64_t v;
	(void)nf;
	if (ps->p->version)
		return fail(ps, -EINVAL, "version header given twice");
	int rc = number(ps, f[0], "version", &v);
	if (rc < 0)
		return rc;
	if (v != OL_PROFILE_VERSION)
		return fail(ps, -EINVAL, "unsupported version %s (this reader knows %d)", f[0],
			    OL_PROFILE_VERSION);
	ps->p->version = (unsigned)v;
	return 0;
}

struct directive {
	const char *name;
	size_t min_fields, max_fields; /* after the directive's own name */
	const char *usage;
	int (*parse)(struct parser *ps, char **f, size_t nf);
};

static const struct directive directives[] = {
	{"olayout-profile", 1, 1, "olayout-profile VERSION", do_version},
	{"cold-function", 1, 1, "cold-function FN", do_cold_function},
	{"cold-line", 1, 1, "cold-line FILE:LINE", do_cold_line},
	{"path", 3, 1000, "path NAME ROOT FN...", do_path},
	{"library", 1, 1, "library FN", do_library},
	{"edge", 3, 3, "edge CALLER CALLEE COUNT", do_edge},
	{"cache", 4, 4, "cache NAME SIZE ASSOC LINE", do_cache},
};

static int parse_line(struct parser *ps, char *line)
{
	char *fields[1001];
	size_t nf = 0;
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	for (char *save = NULL, *tok = strtok_r(line, " \t\r", &save); tok;
	     tok = strtok_r(NULL, " \t\r", &save)) {
		if (nf == sizeof fields / sizeof fields[0])
			return fail(ps, -EINVAL, "too many fields");
		fields[nf++] = tok;
	}
	if (nf == 0)
		return 0;

	const struct directive *d = NULL;
	for (size_t i = 0; i < sizeof directives / sizeof directives[0]; i++)
		if (strcmp(directives[i].name, fields[0]) == 0)
			d = &directives[i];
	if (!d)
		return fail(ps, -EINVAL, "unknown directive '%s'", fields[0]);
	if (!ps->p->version && d->parse != do_version)
		return fail(ps, -EINVAL, "'%s' before the version header 'olayout-profile %d'",
			    fields[0], OL_PROFILE_VERSION);
	if (nf - 1 < d->min_fields || nf - 1 > d->max_fields)
		return fail(ps, -EINVAL, "'%s' wants %s", fields[0], d->usage);
	return d->parse(ps, fields + 1, nf - 1);
}

static const struct ol_profile *sort_profile; /* qsort has no context argument */

static int edge_order(const void *a, const void *b)
{
	const struct ol_profile_edge *x = &sort_profile->edges[*(const size_t *)a];
	const struct ol_profile_edge *y = &sort_profile->edges[*(const size_t *)b];
	int c = strcmp(x->caller, y->caller);
	if (c == 0)
		c = strcmp(x->callee, y->callee);
	if (c == 0) /* equal edges in line order: the later one is the duplicate */
		c = (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
	return c;
}

/* An edge given twice is reported at its later line. */
static int check_edges(struct parser *ps)
{
	const struct ol_profile *p = ps->p;
	if (p->n_edges < 2)
		return 0;
	size_t *order = malloc(p->n_edges * sizeof *order);
	if (!order)
		return no_memory(ps);
	for (size_t i = 0; i < p->n_edges; i++)
		order[i] = i;
	sort_profile = p;
	qsort(order, p->n_edges, sizeof *order, edge_order);
	sort_profile = NULL;
	size_t dup = p->n_edges;
	for (size_t i = 1; i < p->n_edges; i++) {
		const struct ol_profile_edge *x = &p->edges[order[i - 1]], *y = &p->edges[order[i]];
		if (strcmp(x->caller, y->caller) == 0 && strcmp(x->callee, y->callee) == 0 &&
		    (dup == p->n_edges || order[i] < dup))
			dup = order[i];
	}
	free(order);
	if (dup == p->n_edges)
		return 0;
	ps->lineno = ps->edge_lines[dup];
	return fail(ps, -EINVAL, "edge '%s %s' given twice", p->edges[dup].caller,
		    p->edges[dup].callee);
}

int ol_profile_parse(const char *name, const char *text, size_t len, struct ol_profile **out,
		     char *err, size_t errlen)
{
	struct parser ps = {.name = name, .err = err, .errlen = errlen};
	char line[LINE_MAX_BYTES + 1];
	int rc = 0;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	ps.p = calloc(1, sizeof *ps.p);
	if (!ps.p)
		return no_memory(&ps);
	for (size_t pos = 0; rc == 0 && pos < len;) {
		const char *end = memchr(text + pos, '\n', len - pos);
		size_t n = (end ? (size_t)(end - text) : len) - pos;
		ps.lineno++;
		if (n > LINE_MAX_BYTES)
			rc = fail(&ps, -EINVAL, "line longer than %d bytes", LINE_MAX_BYTES);
		else if (memchr(text + pos, '\0', n))
			rc = fail(&ps, -EINVAL, "NUL byte in a text file");
		else {
			memcpy(line, text + pos, n);
			line[n] = '\0';
			rc = parse_line(&ps, line);
		}
		pos += n + 1;
	}
	if (rc == 0 && !ps.p->version) {
		ps.lineno = ps.lineno ? ps.lineno : 1;
		rc = fail(&ps, -EINVAL, "no version header 'olayout-profile %d'",
			  OL_PROFILE_VERSION);
	}
	if (rc == 0)
		rc = check_edges(&ps);
	free(ps.edge_lines);
	if (rc < 0) {
		ol_profile_free(ps.p);
		return rc;
	}
	*out = ps.p;
	return 0;
}

int ol_profile_load(const char *file, struct ol_profile **out, char *err, size_t errlen)
{
	*out = NULL;
	FILE *fp = fopen(file, "r");
	if (!fp) {
		int e = errno;
		snprintf(err, errlen, "%s: cannot open: %s", file, strerror(e));
		return -e;
	}
	char *text = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			char *grown = cap <= FILE_MAX_BYTES ? realloc(text, cap) : NULL;
			if (!grown) {
				rc = cap <= FILE_MAX_BYTES ? -ENOMEM : -EFBIG;
				snprintf(err, errlen, "%s: %s", file,
					 rc == -ENOMEM ? "out of memory" : "larger than 256 MiB");
				break;
			}
			text = grown;
		}
		size_t got = fread(text + len, 1, cap - len, fp);
		len += got;
		if (got == 0) {
			if (ferror(fp)) {
				rc = -EIO;
				snprintf(err, errlen, "%s: read error", file);
			}
			break;
		}
	}
	fclose(fp);
	if (rc == 0)
		rc = ol_profile_parse(file, text, len, out, err, errlen);
	free(text);
	return rc;
}

static void free_names(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void ol_profile_free(struct ol_profile *p)
{
	if (!p)
		return;
	free_names(p->cold_functions, p->n_cold_functions);
	for (size_t i = 0; i < p->n_cold_lines; i++)
		free(p->cold_lines[i].file);
	free(p->cold_lines);
	for (size_t i = 0; i < p->n_paths; i++)
		free_path(&p->paths[i]);
	free(p->paths);
	free_names(p->library, p->n_library);
	for (size_t i = 0; i < p->n_edges; i++) {
		free(p->edges[i].caller);
		free(p->edges[i].callee);
	}
	free(p->edges);
	for (size_t i = 0; i < p->n_caches; i++)
		free(p->caches[i].name);
	free(p->caches);
	free(p);
}

bool ol_profile_is_cold_function(const struct ol_profile *p, const char *fn)
{
	return in_list(p->cold_functions, p->n_cold_functions, fn);
}

bool ol_profile_is_library(const struct ol_profile *p, const char *fn)
{
	return in_list(p->library, p->n_library, fn);
}

bool ol_profile_is_cold_line(const struct ol_profile *p, const char *file, unsigned long line)
{
	size_t flen = strlen(file);
	for (size_t i = 0; i < p->n_cold_lines; i++) {
		const struct ol_profile_line *cl = &p->cold_lines[i];
		size_t n = strlen(cl->file);
		if (cl->line != line || n > flen || strcmp(file + flen - n, cl->file) != 0)
			continue;
		if (n == flen || file[flen - n - 1] == '/')
			return true;
	}
	return false;
}

const struct ol_profile_path *ol_profile_find_path(const struct ol_profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_paths; i++)
		if (strcmp(p->paths[i].name, name) == 0)
			return &p->paths[i];
	return NULL;
}

const struct ol_profile_cache *ol_profile_find_cache(const struct ol_profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_caches; i++)
		if (strcmp(p->caches[i].name, name) == 0)
			return &p->caches[i];
	return NULL;
}
