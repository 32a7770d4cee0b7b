/*
 * ol_profile.c - reader of the profile format (profiles/README.md).
 *
 * One pass over the text, one directive per line; every problem stops the
 * parse with "FILE:LINE: problem" and frees what was built. Repeated entries
 * are found after the pass, by sorting (ol_profile_index.c: a list already in
 * order, as the writer leaves it, needs no sort), and reported at the
 * earliest line that repeats something.
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_profile_sort.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define LINE_MAX_BYTES 4095
#define FILE_MAX_BYTES (256UL << 20)

/* The kinds of entries checked for repeats after the pass. */
enum {
	AT_COLD_FN, AT_LIBRARY, AT_EDGE, AT_FUNCTION, AT_LINE, AT_COLD_LINE, AT_EXTERNAL, AT_INSN,
	AT_BRANCH, AT_BLOCK,
	AT_KINDS,
	AT_COPY = AT_KINDS /* read by do_copy, not a record */
};

struct parser {
	const char *name;
	unsigned long lineno;
	char *err;
	size_t errlen;
	struct ol_profile *p;
	unsigned long *at[AT_COPY + 1]; /* the line of each entry of a kind */
	size_t n_at[AT_COPY + 1];
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

/* Grows *arr by one element of size bytes; the new element is zeroed. The
 * capacity doubles whenever n reaches a power of two, so n pushes copy O(n)
 * bytes (growing by one was quadratic where realloc copies, as under
 * valgrind). */
static void *push(void *arr_p, size_t *n, size_t size)
{
	void **arr = arr_p;
	char *grown = *arr;
	if ((*n & (*n - 1)) == 0) { /* 0, 1, 2, 4...: full */
		size_t cap = *n ? *n * 2 : 1;
		grown = cap <= SIZE_MAX / size ? realloc(*arr, cap * size) : NULL;
		if (!grown)
			return NULL;
		*arr = grown;
	}
	memset(grown + *n * size, 0, size);
	return grown + (*n)++ * size;
}

bool ol_profile_is_symbol(const char *s)
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
	if (!ol_profile_is_symbol(s))
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

/* 0x and 1 to 16 hex digits. */
static int hex(struct parser *ps, const char *s, const char *what, uint64_t *out)
{
	size_t n = strlen(s);
	if (n < 3 || n > 18 || s[0] != '0' || s[1] != 'x' || strspn(s + 2, "0123456789abcdefABCDEF") != n - 2)
		return fail(ps, -EINVAL, "bad %s '%s': want 0x and 1 to 16 hex digits", what, s);
	*out = strtoull(s + 2, NULL, 16);
	return 0;
}

static int file_basename(struct parser *ps, const char *s, const char *what)
{
	if (strchr(s, '/'))
		return fail(ps, -EINVAL, "bad %s '%s': want a file's base name", what, s);
	return 0;
}

/* Notes the current line as that of the newest entry of a kind. */
static int note_line(struct parser *ps, int kind)
{
	unsigned long *slot = push(&ps->at[kind], &ps->n_at[kind], sizeof *slot);
	if (!slot)
		return no_memory(ps);
	*slot = ps->lineno;
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

/* FILE:LINE into a new string *file and *line. */
static int location(struct parser *ps, const char *s, char **file, unsigned long *line)
{
	uint64_t v;
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s)
		return fail(ps, -EINVAL, "bad location '%s': want FILE:LINE", s);
	int rc = number(ps, colon + 1, "line number", &v);
	if (rc < 0)
		return rc;
	if (v == 0 || v > UINT32_MAX)
		return fail(ps, -EINVAL, "bad line number '%s': want 1 to %u", colon + 1,
			    UINT32_MAX);
	*file = strndup(s, (size_t)(colon - s));
	*line = (unsigned long)v;
	return *file ? 0 : no_memory(ps);
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
	path.layers = calloc(nf, sizeof *path.layers); /* nf - 2 layers */
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
	if (v < 1 || v > OL_PROFILE_VERSION)
		return fail(ps, -EINVAL, "unsupported version %s (this reader knows 1 to %d)", f[0],
			    OL_PROFILE_VERSION);
	ps->p->version = (unsigned)v;
	return 0;
}

static int do_exe(struct parser *ps, char **f, size_t nf)
{
	(void)nf;
	if (ps->p->exe)
		return fail(ps, -EINVAL, "exe given twice");
	int rc = file_basename(ps, f[0], "executable name");
	if (rc < 0)
		return rc;
	ps->p->exe = strdup(f[0]);
	return ps->p->exe ? 0 : no_memory(ps);
}

static int do_training(struct parser *ps, char **f, size_t nf)
{
	uint64_t runs;
	(void)nf;
	if (ps->p->training)
		return fail(ps, -EINVAL, "training given twice");
	int rc = number(ps, f[0], "training runs", &runs);
	if (rc == 0 && runs == 0)
		rc = fail(ps, -EINVAL, "bad training runs '0': want 1 or more");
	if (rc == 0)
		ps->p->training = runs;
	return rc;
}

/* v3: the counts are samples of a perf event, not instructions. */
static int do_samples(struct parser *ps, char **f, size_t nf)
{
	static const char event_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					  "0123456789_-.:/=,";
	(void)nf;
	if (ps->p->samples)
		return fail(ps, -EINVAL, "samples given twice");
	if (f[0][strspn(f[0], event_chars)] != '\0')
		return fail(ps, -EINVAL, "bad event '%s': want letters, digits and _-.:/=,", f[0]);
	ps->p->samples = strdup(f[0]);
	return ps->p->samples ? 0 : no_memory(ps);
}

/* The directives that add one entry to a list, read by their fields (records
 * below): each field is checked in turn and copied into a new zeroed entry. */
enum field_kind { F_SYMBOL, F_OBJECT, F_NUMBER, F_HEX, F_LOCATION };

struct field {
	enum field_kind kind;
	size_t arg;	 /* which field of the line */
	const char *what; /* its name in messages */
	size_t at;	 /* offset of its member in the entry (F_LOCATION: the file) */
	size_t line_at;	 /* F_LOCATION: offset of the line number */
	int (*check)(struct parser *ps, const char *entry, const char *s); /* more, or NULL */
};

struct record {
	size_t list, count; /* offsets of the array and its length in struct ol_profile */
	size_t size;	    /* of an entry */
	struct field fields[6];
	size_t n_fields;
};

/* external: the size is above 0 and the object ends in the address space. */
static int check_extent(struct parser *ps, const char *entry, const char *s)
{
	const struct ol_profile_external *ex = (const struct ol_profile_external *)entry;
	if (ex->size == 0 || ex->size > UINT64_MAX - ex->addr)
		return fail(ps, -EINVAL, "bad size '%s': want 1 to the end of the address space", s);
	return 0;
}

/* block: an id GCC's discriminators hold (bb->index, unsigned), and not 0:
 * discriminator 0 is a row of no block. */
static int check_block_id(struct parser *ps, const char *entry, const char *s)
{
	const struct ol_profile_block *b = (const struct ol_profile_block *)entry;
	if (b->id == 0 || b->id > UINT32_MAX)
		return fail(ps, -EINVAL, "bad block id '%s': want 1 to %u", s, UINT32_MAX);
	return 0;
}

#define FIELD(kind, arg, what, type, member) \
	{kind, arg, what, offsetof(type, member), 0, NULL}
#define LOC(arg, type) \
	{F_LOCATION, arg, "location", offsetof(type, file), offsetof(type, line), NULL}
#define LOC_AT(arg, what, type, file, line) \
	{F_LOCATION, arg, what, offsetof(type, file), offsetof(type, line), NULL}
#define LIST(member) offsetof(struct ol_profile, member), offsetof(struct ol_profile, n_##member)

/* Indexed by AT_*: the entries checked for repeats are the records. */
static const struct record records[AT_KINDS] = {
	[AT_COLD_FN] = {LIST(cold_functions), sizeof(char *),
			{{F_SYMBOL, 0, "function name", 0, 0, NULL}}, 1},
	[AT_LIBRARY] = {LIST(library), sizeof(char *),
			{{F_SYMBOL, 0, "function name", 0, 0, NULL}}, 1},
	[AT_EDGE] = {LIST(edges), sizeof(struct ol_profile_edge),
		     {FIELD(F_SYMBOL, 0, "caller", struct ol_profile_edge, caller),
		      FIELD(F_SYMBOL, 1, "callee", struct ol_profile_edge, callee),
		      FIELD(F_NUMBER, 2, "count", struct ol_profile_edge, count)}, 3},
	[AT_FUNCTION] = {LIST(functions), sizeof(struct ol_profile_function),
			 {FIELD(F_SYMBOL, 0, "function name", struct ol_profile_function, name),
			  FIELD(F_NUMBER, 1, "calls", struct ol_profile_function, calls),
			  FIELD(F_NUMBER, 2, "instructions", struct ol_profile_function, insns)}, 3},
	[AT_LINE] = {LIST(lines), sizeof(struct ol_profile_hot_line),
		     {FIELD(F_NUMBER, 1, "count", struct ol_profile_hot_line, count),
		      LOC(0, struct ol_profile_hot_line)}, 2},
	[AT_COLD_LINE] = {LIST(cold_lines), sizeof(struct ol_profile_line),
			  {LOC(0, struct ol_profile_line)}, 1},
	[AT_EXTERNAL] = {LIST(externals), sizeof(struct ol_profile_external),
			 {FIELD(F_SYMBOL, 0, "function name", struct ol_profile_external, name),
			  FIELD(F_OBJECT, 1, "object", struct ol_profile_external, object),
			  FIELD(F_HEX, 2, "address", struct ol_profile_external, addr),
			  {F_NUMBER, 3, "size", offsetof(struct ol_profile_external, size), 0,
			   check_extent},
			  FIELD(F_NUMBER, 4, "instructions", struct ol_profile_external, insns)}, 5},
	[AT_INSN] = {LIST(insns), sizeof(struct ol_profile_insn),
		     {FIELD(F_SYMBOL, 0, "function name", struct ol_profile_insn, function),
		      FIELD(F_NUMBER, 1, "offset", struct ol_profile_insn, offset),
		      FIELD(F_NUMBER, 2, "count", struct ol_profile_insn, count)}, 3},
	[AT_BRANCH] = {LIST(branches), sizeof(struct ol_profile_branch),
		       {LOC_AT(0, "location", struct ol_profile_branch, file, line),
			LOC_AT(1, "taken location", struct ol_profile_branch, taken_file, taken_line),
			LOC_AT(2, "fall-through location", struct ol_profile_branch, fall_file,
			       fall_line),
			FIELD(F_NUMBER, 3, "taken count", struct ol_profile_branch, taken),
			FIELD(F_NUMBER, 4, "fall-through count", struct ol_profile_branch, fall)}, 5},
	[AT_BLOCK] = {LIST(blocks), sizeof(struct ol_profile_block),
		      {FIELD(F_SYMBOL, 0, "function name", struct ol_profile_block, function),
		       {F_NUMBER, 1, "block id", offsetof(struct ol_profile_block, id), 0,
			check_block_id},
		       FIELD(F_NUMBER, 2, "count", struct ol_profile_block, count)}, 3},
};

/* Frees a record's list in p, with the strings of its entries (a symbol
 * shared with the entry before, by read_field, once). */
static void free_record(const struct record *r, struct ol_profile *p)
{
	char *list = *(char **)((char *)p + r->list);
	size_t n = *(size_t *)((char *)p + r->count);
	const struct field *str_fields[5];
	size_t ns = 0;
	for (size_t k = 0; k < r->n_fields; k++) /* the fields that hold a string */
		if (r->fields[k].kind == F_SYMBOL || r->fields[k].kind == F_OBJECT ||
		    r->fields[k].kind == F_LOCATION)
			str_fields[ns++] = &r->fields[k];
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < ns; k++) {
			size_t at = i * r->size + str_fields[k]->at;
			char *str = *(char **)(list + at);
			if (str_fields[k]->kind == F_SYMBOL && i > 0 && str == *(char **)(list + at - r->size))
				continue;
			free(str);
		}
	free(list);
}

/* read_field: one field of entry; prev is the entry before it (NULL: none).
 * A symbol equal to prev's is shared, not copied: a large profile lists a
 * function's `insn` and `edge` entries in one run (free_record frees the
 * run's string once). */
static int read_field(struct parser *ps, const struct field *fd, char *entry, const char *prev,
		      const char *s)
{
	char **str = (char **)(entry + fd->at);
	int rc;
	switch (fd->kind) {
	case F_SYMBOL:
		if (prev && strcmp(*(char *const *)(prev + fd->at), s) == 0) {
			*str = *(char *const *)(prev + fd->at);
			rc = 0;
			break;
		}
		/* fall through */
	case F_OBJECT:
		rc = fd->kind == F_SYMBOL ? symbol(ps, s, fd->what) : file_basename(ps, s, fd->what);
		if (rc == 0 && !(*str = strdup(s)))
			rc = no_memory(ps);
		break;
	case F_NUMBER:
		rc = number(ps, s, fd->what, (uint64_t *)(entry + fd->at));
		break;
	case F_HEX:
		rc = hex(ps, s, fd->what, (uint64_t *)(entry + fd->at));
		break;
	default:
		rc = location(ps, s, str, (unsigned long *)(entry + fd->line_at));
	}
	return rc == 0 && fd->check ? fd->check(ps, entry, s) : rc;
}

/* One entry of the record of kind from the line's fields f. A problem stops
 * the parse, and ol_profile_free frees the half-read entry with the rest. */
static int parse_record(struct parser *ps, int kind, char **f)
{
	const struct record *r = &records[kind];
	char *entry = push((char *)ps->p + r->list, (size_t *)((char *)ps->p + r->count), r->size);
	int rc = entry ? 0 : no_memory(ps);
	const char *prev = entry && *(size_t *)((char *)ps->p + r->count) > 1 ? entry - r->size : NULL;
	for (size_t i = 0; rc == 0 && i < r->n_fields; i++)
		rc = read_field(ps, &r->fields[i], entry, prev, f[r->fields[i].arg]);
	return rc < 0 ? rc : note_line(ps, kind);
}

/* library: a record, refused when a path names the function. */
static int do_library(struct parser *ps, char **f, size_t nf)
{
	(void)nf;
	const struct ol_profile_path *path = path_with(ps->p, f[0]);
	if (path)
		return fail(ps, -EINVAL, "library '%s' is on path '%s'", f[0], path->name);
	return parse_record(ps, AT_LIBRARY, f);
}

/* v6 copy: FN, its call sites and line (at least one site), the count.
 * Consecutive entries of one function share its name, as records do. */
static int do_copy(struct parser *ps, char **f, size_t nf)
{
	struct ol_profile *p = ps->p;
	struct ol_profile_copy *e = push(&p->copies, &p->n_copies, sizeof *e);
	if (!e)
		return no_memory(ps);
	const struct ol_profile_copy *prev = p->n_copies > 1 ? e - 1 : NULL;
	int rc = symbol(ps, f[0], "function name");
	if (rc == 0 && prev && strcmp(prev->function, f[0]) == 0)
		e->function = prev->function;
	else if (rc == 0 && !(e->function = strdup(f[0])))
		rc = no_memory(ps);
	if (rc == 0 && !(e->locs = calloc(nf - 2, sizeof *e->locs)))
		rc = no_memory(ps);
	for (size_t i = 1; rc == 0 && i + 1 < nf; i++) {
		rc = location(ps, f[i], &e->locs[i - 1].file, &e->locs[i - 1].line);
		e->n_locs += rc == 0;
	}
	if (rc == 0)
		rc = number(ps, f[nf - 1], "count", &e->count);
	return rc < 0 ? rc : note_line(ps, AT_COPY);
}

struct directive {
	const char *name;
	unsigned since; /* the first version that has it */
	size_t min_fields, max_fields; /* after the directive's own name */
	const char *usage;
	int (*parse)(struct parser *ps, char **f, size_t nf); /* NULL: a record */
	int record; /* the AT_* kind of a record */
};

/* Looked up in this order: the entries a large profile is made of first. */
static const struct directive directives[] = {
	{"insn", 4, 3, 3, "insn FN OFFSET COUNT", NULL, AT_INSN},
	{"block", 7, 3, 3, "block FN ID COUNT", NULL, AT_BLOCK},
	{"branch", 5, 5, 5, "branch FILE:LINE TAKEN_FILE:LINE FALL_FILE:LINE TAKEN FALL", NULL,
	 AT_BRANCH},
	{"edge", 1, 3, 3, "edge CALLER CALLEE COUNT", NULL, AT_EDGE},
	{"function", 2, 3, 3, "function FN CALLS INSNS", NULL, AT_FUNCTION},
	{"line", 2, 2, 2, "line FILE:LINE COUNT", NULL, AT_LINE},
	{"olayout-profile", 1, 1, 1, "olayout-profile VERSION", do_version, 0},
	{"cold-function", 1, 1, 1, "cold-function FN", NULL, AT_COLD_FN},
	{"cold-line", 1, 1, 1, "cold-line FILE:LINE", NULL, AT_COLD_LINE},
	{"path", 1, 3, 1000, "path NAME ROOT FN...", do_path, 0},
	{"library", 1, 1, 1, "library FN", do_library, 0},
	{"cache", 1, 4, 4, "cache NAME SIZE ASSOC LINE", do_cache, 0},
	{"exe", 2, 1, 1, "exe NAME", do_exe, 0},
	{"training", 2, 1, 1, "training RUNS", do_training, 0},
	{"external", 2, 5, 5, "external FN OBJECT ADDR SIZE INSNS", NULL, AT_EXTERNAL},
	{"samples", 3, 1, 1, "samples EVENT", do_samples, 0},
	{"copy", 6, 4, 1000, "copy FN SITE_FILE:LINE... FILE:LINE COUNT (at least one call site)",
	 do_copy, 0},
};

static int parse_line(struct parser *ps, char *line)
{
	char *fields[1001];
	size_t nf = 0;
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	/* fields split at blanks, by hand: strtok_r costs more than the rest
	 * of a short line's parse */
	for (char *c = line; *c;) {
		while (*c == ' ' || *c == '\t' || *c == '\r')
			*c++ = '\0';
		if (!*c)
			break;
		if (nf == sizeof fields / sizeof fields[0])
			return fail(ps, -EINVAL, "too many fields");
		fields[nf++] = c;
		while (*c && *c != ' ' && *c != '\t' && *c != '\r')
			c++;
	}
	if (nf == 0)
		return 0;

	const struct directive *d = NULL;
	for (size_t i = 0; !d && i < sizeof directives / sizeof directives[0]; i++)
		if (strcmp(directives[i].name, fields[0]) == 0)
			d = &directives[i];
	if (!d)
		return fail(ps, -EINVAL, "unknown directive '%s'", fields[0]);
	if (!ps->p->version && d->parse != do_version)
		return fail(ps, -EINVAL, "'%s' before the version header 'olayout-profile %d'",
			    fields[0], OL_PROFILE_VERSION);
	if (ps->p->version && d->since > ps->p->version)
		return fail(ps, -EINVAL, "'%s' needs version %u (the header says %u)", fields[0],
			    d->since, ps->p->version);
	if (nf - 1 < d->min_fields || nf - 1 > d->max_fields)
		return fail(ps, -EINVAL, "'%s' wants %s", fields[0], d->usage);
	return d->parse ? d->parse(ps, fields + 1, nf - 1) : parse_record(ps, d->record, fields + 1);
}

/* Digits only, at most 19 (below 2^64 whatever they are): the length, 0 if
 * s[0..n) is not that. */
static size_t plain_number(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	for (; i < n && i < 19 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	*out = v;
	return i;
}

/* An `insn` line as the writer prints it ("insn FN OFFSET COUNT", one space
 * between fields, nothing after), read without the general parse: a large
 * profile is mostly these lines, and splitting, looking up and checking them
 * field by field cost more than everything else the planner does with the
 * profile. Returns 1 when the line was read, 0 when it is not in that form
 * (parse_line then reads it, with its messages), < 0 when out of memory. */
static int quick_insn(struct parser *ps, const char *s, size_t n)
{
	struct ol_profile *p = ps->p;
	const char *sym = s + 5, *end = s + n;
	size_t len = 0, k;
	uint64_t offset, count;

	if (n < 5 || memcmp(s, "insn ", 5) != 0 || p->version < 4)
		return 0;
	while (sym + len < end && sym[len] != ' ')
		len++;
	if (len == 0 || sym + len == end)
		return 0;
	const char *prev = p->n_insns ? p->insns[p->n_insns - 1].function : NULL;
	bool same = prev && strncmp(prev, sym, len) == 0 && prev[len] == '\0';
	if (!same && sym[0] < 'A')
		return 0;	/* a digit (or a symbol char below 'A': '.', '$') first */
	for (size_t i = 0; !same && i < len; i++) {
		char c = sym[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '$'))
			return 0;
	}
	const char *num = sym + len + 1;
	k = plain_number(num, (size_t)(end - num), &offset);
	if (k == 0 || num + k == end || num[k] != ' ')
		return 0;
	num += k + 1;
	k = plain_number(num, (size_t)(end - num), &count);
	if (k == 0 || num + k != end)
		return 0;

	struct ol_profile_insn *e = push(&p->insns, &p->n_insns, sizeof *e);
	if (!e)
		return no_memory(ps);
	if (same)
		e->function = (char *)prev;	/* shared with the entry before, as read_field */
	else if (!(e->function = strndup(sym, len)))
		return no_memory(ps);
	e->offset = offset;
	e->count = count;
	int rc = note_line(ps, AT_INSN);
	return rc < 0 ? rc : 1;
}

/* An external is one function of one object. */
static int cmp_external_key(const void *a, const void *b)
{
	const struct ol_profile_external *x = a, *y = b;
	int c = strcmp(x->object, y->object);
	return c ? c : strcmp(x->name, y->name);
}

/* The first element in array order equal to an earlier one, or n. */
static size_t first_repeat(const void *base, size_t size, const size_t *order, size_t n,
			   ol_profile_cmp cmp)
{
	size_t first = n;
	for (size_t i = 1; i < n; i++) /* equal elements are sorted in array order */
		if (cmp((const char *)base + order[i - 1] * size,
			(const char *)base + order[i] * size) == 0 &&
		    (first == n || order[i] < first))
			first = order[i];
	return first;
}

/* Each element of base[0..n) above the one before: no two are equal. */
static bool ascending(const void *base, size_t n, size_t size, ol_profile_cmp cmp)
{
	for (size_t i = 1; i < n; i++)
		if (cmp((const char *)base + (i - 1) * size, (const char *)base + i * size) >= 0)
			return false;
	return true;
}

/* The earliest problem found after the pass. */
struct problem {
	unsigned long line; /* 0: none */
	int kind;
	size_t idx;	   /* the entry of kind (AT_COLD_LINE: the `line` entry) */
};

static void consider(struct problem *pr, unsigned long line, int kind, size_t idx)
{
	if (pr->line == 0 || line < pr->line)
		*pr = (struct problem){line, kind, idx};
}

static void consider_repeat(struct parser *ps, struct problem *pr, int kind, const void *base,
			    size_t size, const size_t *order, size_t n, ol_profile_cmp cmp)
{
	size_t i = first_repeat(base, size, order, n, cmp);
	if (i < n)
		consider(pr, ps->at[kind][i], kind, i);
}

/* A location listed both as `line` and as `cold-line` (both orders are by
 * line number, then file). */
static void consider_both(struct parser *ps, struct problem *pr)
{
	const struct ol_profile *p = ps->p;
	const size_t *hot = p->index->lines, *cold = p->index->cold_lines;
	for (size_t i = 0, j = 0; i < p->n_lines && j < p->n_cold_lines;) {
		const struct ol_profile_hot_line *h = &p->lines[hot[i]];
		const struct ol_profile_line *c = &p->cold_lines[cold[j]];
		int d = (h->line > c->line) - (h->line < c->line);
		if (d == 0)
			d = strcmp(h->file, c->file);
		if (d == 0) {
			unsigned long a = ps->at[AT_LINE][hot[i]], b = ps->at[AT_COLD_LINE][cold[j]];
			consider(pr, a > b ? a : b, AT_COLD_LINE, hot[i]);
		}
		i += d <= 0;
		j += d >= 0;
	}
}

static int report(struct parser *ps, const struct problem *pr)
{
	const struct ol_profile *p = ps->p;
	size_t i = pr->idx;
	ps->lineno = pr->line;
	switch (pr->kind) {
	case AT_COLD_FN:
		return fail(ps, -EINVAL, "cold-function '%s' given twice", p->cold_functions[i]);
	case AT_LIBRARY:
		return fail(ps, -EINVAL, "library '%s' given twice", p->library[i]);
	case AT_EDGE:
		return fail(ps, -EINVAL, "edge '%s %s' given twice", p->edges[i].caller,
			    p->edges[i].callee);
	case AT_FUNCTION:
		return fail(ps, -EINVAL, "function '%s' given twice", p->functions[i].name);
	case AT_LINE:
		return fail(ps, -EINVAL, "line '%s:%lu' given twice", p->lines[i].file,
			    p->lines[i].line);
	case AT_COLD_LINE:
		return fail(ps, -EINVAL, "'%s:%lu' is both line and cold-line", p->lines[i].file,
			    p->lines[i].line);
	case AT_INSN:
		return fail(ps, -EINVAL, "insn '%s %" PRIu64 "' given twice", p->insns[i].function,
			    p->insns[i].offset);
	case AT_BRANCH:
		return fail(ps, -EINVAL, "branch '%s:%lu %s:%lu %s:%lu' given twice",
			    p->branches[i].file, p->branches[i].line, p->branches[i].taken_file,
			    p->branches[i].taken_line, p->branches[i].fall_file,
			    p->branches[i].fall_line);
	case AT_BLOCK:
		return fail(ps, -EINVAL, "block '%s %" PRIu64 "' given twice", p->blocks[i].function,
			    p->blocks[i].id);
	case AT_COPY:
		return fail(ps, -EINVAL, "copy of '%s:%lu' in '%s' through the same %zu call sites "
			    "given twice", p->copies[i].locs[p->copies[i].n_locs - 1].file,
			    p->copies[i].locs[p->copies[i].n_locs - 1].line, p->copies[i].function,
			    p->copies[i].n_locs - 1);
	default:
		return fail(ps, -EINVAL, "external '%s %s' given twice", p->externals[i].name,
			    p->externals[i].object);
	}
}

/* Builds the lookup orders, then refuses repeated entries. */
static int check_repeats(struct parser *ps)
{
	struct ol_profile *p = ps->p;
	if (ol_profile_index_build(p) < 0)
		return no_memory(ps);
	const struct ol_profile_index *ix = p->index;
	struct problem pr = {0};
	consider_repeat(ps, &pr, AT_COLD_FN, p->cold_functions, sizeof *p->cold_functions,
			ix->cold_functions, p->n_cold_functions, ol_profile_cmp_name);
	consider_repeat(ps, &pr, AT_LIBRARY, p->library, sizeof *p->library, ix->library,
			p->n_library, ol_profile_cmp_name);
	consider_repeat(ps, &pr, AT_EDGE, p->edges, sizeof *p->edges, ix->edges, p->n_edges,
			ol_profile_cmp_edge);
	consider_repeat(ps, &pr, AT_FUNCTION, p->functions, sizeof *p->functions, ix->functions,
			p->n_functions, ol_profile_cmp_function);
	consider_repeat(ps, &pr, AT_LINE, p->lines, sizeof *p->lines, ix->lines, p->n_lines,
			ol_profile_cmp_hot_line_first);
	consider_both(ps, &pr);
	/* externals have no lookup: sort them for the check alone */
	size_t *ext = ol_profile_order(p->externals, p->n_externals, sizeof *p->externals,
				       cmp_external_key);
	if (!ext)
		return no_memory(ps);
	consider_repeat(ps, &pr, AT_EXTERNAL, p->externals, sizeof *p->externals, ext,
			p->n_externals, cmp_external_key);
	free(ext);
	/* insns have none either; in the writer's order (strictly ascending)
	 * they cannot repeat: no order to build for a million entries */
	if (!ascending(p->insns, p->n_insns, sizeof *p->insns, ol_profile_cmp_insn)) {
		size_t *ins = ol_profile_order(p->insns, p->n_insns, sizeof *p->insns,
					       ol_profile_cmp_insn);
		if (!ins)
			return no_memory(ps);
		consider_repeat(ps, &pr, AT_INSN, p->insns, sizeof *p->insns, ins, p->n_insns,
				ol_profile_cmp_insn);
		free(ins);
	}
	consider_repeat(ps, &pr, AT_BRANCH, p->branches, sizeof *p->branches, ix->branches,
			p->n_branches, ol_profile_cmp_branch_first);
	consider_repeat(ps, &pr, AT_BLOCK, p->blocks, sizeof *p->blocks, ix->blocks, p->n_blocks,
			ol_profile_cmp_block);
	consider_repeat(ps, &pr, AT_COPY, p->copies, sizeof *p->copies, ix->copies, p->n_copies,
			ol_profile_cmp_copy);
	return pr.line ? report(ps, &pr) : 0;
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
		else if ((rc = quick_insn(&ps, text + pos, n)) != 0)
			rc = rc < 0 ? rc : 0;
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
		rc = check_repeats(&ps);
	for (int k = 0; k <= AT_COPY; k++)
		free(ps.at[k]);
	if (rc < 0) {
		ol_profile_free(ps.p);
		return rc;
	}
	*out = ps.p;
	return 0;
}

/* A regular file is parsed where it is mapped: a large profile read into a
 * growing buffer cost its copy and its pages twice. 1 when file was no
 * regular file, or could not be mapped (ol_profile_load reads it). */
static int load_mapped(FILE *fp, const char *file, struct ol_profile **out, char *err,
		       size_t errlen)
{
	struct stat st;
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return 1;
	if ((uint64_t)st.st_size > FILE_MAX_BYTES) {
		snprintf(err, errlen, "%s: larger than 256 MiB", file);
		return -EFBIG;
	}
	void *text = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fileno(fp), 0);
	if (text == MAP_FAILED)
		return 1;
	int rc = ol_profile_parse(file, text, (size_t)st.st_size, out, err, errlen);
	munmap(text, (size_t)st.st_size);
	return rc;
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
	int mapped = load_mapped(fp, file, out, err, errlen);
	if (mapped <= 0) {
		fclose(fp);
		return mapped;
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
		errno = 0;
		size_t got = fread(text + len, 1, cap - len, fp);
		len += got;
		if (got == 0) {
			if (ferror(fp)) {	/* a directory opens, and reads EISDIR */
				rc = errno ? -errno : -EIO;
				snprintf(err, errlen, "%s: cannot read: %s", file, strerror(-rc));
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

void ol_profile_free(struct ol_profile *p)
{
	if (!p)
		return;
	for (int k = 0; k < AT_KINDS; k++)
		free_record(&records[k], p);
	ol_profile_free_copies(p);
	for (size_t i = 0; i < p->n_paths; i++)
		free_path(&p->paths[i]);
	free(p->paths);
	for (size_t i = 0; i < p->n_caches; i++)
		free(p->caches[i].name);
	free(p->caches);
	free(p->exe);
	free(p->samples);
	ol_profile_index_free(p->index);
	free(p);
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
