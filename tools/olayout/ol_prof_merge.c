/*
 * ol_prof_merge.c - `olayout profile --merge`: profiles of one executable
 * summed. Counts add up (function, edge, line, insn, branch, copy, block, training, an external's
 * instructions; an external's range is the union of the inputs'); caches,
 * paths and library marks are unioned, and one name given two meanings is
 * an error; a cold-function (cold-line) stays only when no input ran it.
 * Samples (of one event) add up with samples only, never with instructions.
 */
#define _GNU_SOURCE /* vasprintf */
#include "ol_prof_cmd.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ol_profile.h"
#include "ol_util.h"

/* One entry of one input: its key ("function f", "cache modern"...), the
 * rest of its text (must agree across inputs) and its counts. */
struct entry {
	char *key, *rest;
	uint64_t v[3];
	int sum;		/* how many of v add up; an external: min, max, sum */
	const char *from;	/* the input file */
};

struct merge {
	struct entry *e;
	size_t n, cap;
	const char *insns, *samples;	/* an input whose counts are instructions, samples */
	unsigned version;		/* the least that holds every input's entries */
	struct ol_err *err;
};

static int add(struct merge *mg, const char *from, int sum, uint64_t a, uint64_t b, uint64_t c,
	       const char *rest, const char *fmt, ...) __attribute__((format(printf, 8, 9)));

static int add(struct merge *mg, const char *from, int sum, uint64_t a, uint64_t b, uint64_t c,
	       const char *rest, const char *fmt, ...)
{
	va_list ap;
	char *key = NULL, *r = strdup(rest ? rest : "");
	va_start(ap, fmt);
	int n = vasprintf(&key, fmt, ap);
	va_end(ap);
	if (n < 0 || !r || ol_grow((void **)&mg->e, &mg->cap, mg->n + 1, sizeof *mg->e) < 0) {
		free(r);
		if (n >= 0)
			free(key);
		return ol_fail(mg->err, -ENOMEM, "%s: out of memory", from);
	}
	mg->e[mg->n++] = (struct entry){key, r, {a, b, c}, sum, from};
	return 0;
}

/* Counts of one kind only: instructions and samples do not add up. */
static int same_counts(struct merge *mg, const char *f, const struct ol_profile *p)
{
	if (p->samples)
		mg->samples = f;
	else if (p->n_functions || p->n_edges || p->n_lines || p->n_externals || p->n_insns)
		mg->insns = f;
	unsigned need = p->n_blocks ? 7 : p->n_copies ? 6 : p->n_branches ? 5 : p->n_insns ? 4 : p->samples ? 3 : 2;
	mg->version = need > mg->version ? need : mg->version;
	if (mg->samples && mg->insns)
		return ol_fail(mg->err, -EINVAL, "%s counts samples, %s instructions: they do not "
			       "add up", mg->samples, mg->insns);
	return 0;
}

static int add_profile(struct merge *mg, const char *f, const struct ol_profile *p)
{
	int rc = same_counts(mg, f, p);
	char buf[4200];
	if (rc == 0 && p->exe)
		rc = add(mg, f, 0, 0, 0, 0, NULL, "exe %s", p->exe);
	if (rc == 0 && p->training)
		rc = add(mg, f, 1, p->training, 0, 0, NULL, "training");
	if (rc == 0 && p->samples)
		rc = add(mg, f, 0, 0, 0, 0, p->samples, "samples");
	for (size_t i = 0; rc == 0 && i < p->n_caches; i++) {
		const struct ol_profile_cache *c = &p->caches[i];
		snprintf(buf, sizeof buf, "%lu %lu %lu", c->size, c->assoc, c->line);
		rc = add(mg, f, 0, 0, 0, 0, buf, "cache %s", c->name);
	}
	for (size_t i = 0; rc == 0 && i < p->n_paths; i++) {
		const struct ol_profile_path *pa = &p->paths[i];
		size_t k = (size_t)snprintf(buf, sizeof buf, "%s", pa->root);
		for (size_t l = 0; l < pa->n_layers && k < sizeof buf; l++)
			k += (size_t)snprintf(buf + k, sizeof buf - k, " %s", pa->layers[l]);
		rc = add(mg, f, 0, 0, 0, 0, buf, "path %s", pa->name);
	}
	for (size_t i = 0; rc == 0 && i < p->n_library; i++)
		rc = add(mg, f, 0, 0, 0, 0, NULL, "library %s", p->library[i]);
	for (size_t i = 0; rc == 0 && i < p->n_functions; i++)
		rc = add(mg, f, 2, p->functions[i].calls, p->functions[i].insns, 0, NULL,
			 "function %s", p->functions[i].name);
	for (size_t i = 0; rc == 0 && i < p->n_edges; i++)
		rc = add(mg, f, 1, p->edges[i].count, 0, 0, NULL, "edge %s %s",
			 p->edges[i].caller, p->edges[i].callee);
	for (size_t i = 0; rc == 0 && i < p->n_lines; i++)
		rc = add(mg, f, 1, p->lines[i].count, 0, 0, NULL, "line %s:%lu",
			 p->lines[i].file, p->lines[i].line);
	for (size_t i = 0; rc == 0 && i < p->n_insns; i++)
		rc = add(mg, f, 1, p->insns[i].count, 0, 0, NULL, "insn %s %" PRIu64,
			 p->insns[i].function, p->insns[i].offset);
	for (size_t i = 0; rc == 0 && i < p->n_branches; i++) {
		const struct ol_profile_branch *b = &p->branches[i];
		rc = add(mg, f, 2, b->taken, b->fall, 0, NULL, "branch %s:%lu %s:%lu %s:%lu", b->file,
			 b->line, b->taken_file, b->taken_line, b->fall_file, b->fall_line);
	}
	for (size_t i = 0; rc == 0 && i < p->n_copies; i++) {
		const struct ol_profile_copy *c = &p->copies[i];
		size_t k = (size_t)snprintf(buf, sizeof buf, "copy %s", c->function);
		for (size_t l = 0; l < c->n_locs && k < sizeof buf; l++)
			k += (size_t)snprintf(buf + k, sizeof buf - k, " %s:%lu", c->locs[l].file,
					      c->locs[l].line);
		rc = add(mg, f, 1, c->count, 0, 0, NULL, "%s", buf);
	}
	for (size_t i = 0; rc == 0 && i < p->n_blocks; i++)
		rc = add(mg, f, 1, p->blocks[i].count, 0, 0, NULL, "block %s %" PRIu64,
			 p->blocks[i].function, p->blocks[i].id);
	for (size_t i = 0; rc == 0 && i < p->n_cold_functions; i++)
		rc = add(mg, f, 0, 0, 0, 0, NULL, "cold-function %s", p->cold_functions[i]);
	for (size_t i = 0; rc == 0 && i < p->n_cold_lines; i++)
		rc = add(mg, f, 0, 0, 0, 0, NULL, "cold-line %s:%lu", p->cold_lines[i].file,
			 p->cold_lines[i].line);
	for (size_t i = 0; rc == 0 && i < p->n_externals; i++) {
		const struct ol_profile_external *x = &p->externals[i];
		rc = add(mg, f, -1, x->addr, x->addr + x->size, x->insns, NULL, "external %s %s",
			 x->name, x->object);
	}
	return rc;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

static bool has_key(const struct merge *mg, const char *key)
{
	struct entry k = {.key = (char *)key};
	return bsearch(&k, mg->e, mg->n, sizeof k, by_key) != NULL;
}

/* cold-X NAME stays when no input has X NAME (function or line). */
static bool ran_elsewhere(const struct merge *mg, const char *key)
{
	if (strncmp(key, "cold-", 5) != 0)
		return false;
	return has_key(mg, key + 5);
}

/* The summed entries of one key (e[0..n)) as a profile line. */
static int print_entry(struct merge *mg, const struct entry *e, size_t n, FILE *fp)
{
	uint64_t v[3] = {e[0].v[0], e[0].v[1], e[0].v[2]};
	for (size_t i = 1; i < n; i++) {
		if (strcmp(e[i].rest, e[0].rest) != 0)
			return ol_fail(mg->err, -EINVAL, "%s and %s disagree: '%s %s' and '%s %s'",
				       e[0].from, e[i].from, e[0].key, e[0].rest, e[i].key,
				       e[i].rest);
		if (e[0].sum < 0) { /* an external: the union of the ranges */
			v[0] = e[i].v[0] < v[0] ? e[i].v[0] : v[0];
			v[1] = e[i].v[1] > v[1] ? e[i].v[1] : v[1];
			v[2] += e[i].v[2];
		}
		for (int k = 0; k < e[0].sum; k++)
			v[k] += e[i].v[k];
	}
	if (ran_elsewhere(mg, e[0].key))
		return 0;
	if (e[0].sum < 0) {
		const char *sp = strchr(e[0].key + 9, ' ');
		fprintf(fp, "external %.*s %s 0x%" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
			(int)(sp - e[0].key - 9), e[0].key + 9, sp + 1, v[0], v[1] - v[0], v[2]);
		return 0;
	}
	fprintf(fp, "%s%s%s", e[0].key, e[0].rest[0] ? " " : "", e[0].rest);
	for (int k = 0; k < e[0].sum; k++)
		fprintf(fp, " %" PRIu64, v[k]);
	fputc('\n', fp);
	return 0;
}

/* Every input names the same executable (or none). */
static int same_exe(struct merge *mg)
{
	const struct entry *first = NULL;
	for (size_t i = 0; i < mg->n; i++) {
		if (strncmp(mg->e[i].key, "exe ", 4) != 0)
			continue;
		if (first && strcmp(first->key, mg->e[i].key) != 0)
			return ol_fail(mg->err, -EINVAL, "%s and %s profile different executables "
				       "(%s, %s)", first->from, mg->e[i].from, first->key + 4,
				       mg->e[i].key + 4);
		first = &mg->e[i];
	}
	return 0;
}

static int merged_text(struct merge *mg, FILE *fp)
{
	int rc = same_exe(mg);
	qsort(mg->e, mg->n, sizeof *mg->e, by_key);
	fprintf(fp, "olayout-profile %u\n", mg->version > 2 ? mg->version : 2);
	for (size_t i = 0; rc == 0 && i < mg->n;) {
		size_t j = i + 1;
		while (j < mg->n && strcmp(mg->e[j].key, mg->e[i].key) == 0)
			j++;
		rc = print_entry(mg, mg->e + i, j - i, fp);
		i = j;
	}
	return rc;
}

int ol_prof_merge(char *const *in, size_t n, FILE *fp, struct ol_err *err)
{
	struct merge mg = {.err = err};
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct ol_profile *p;
		char perr[OL_PROFILE_ERR_MAX];
		rc = ol_profile_load(in[i], &p, perr, sizeof perr);
		if (rc < 0) {
			ol_fail(err, rc, "%s", perr);
			break;
		}
		rc = add_profile(&mg, in[i], p);
		ol_profile_free(p);
	}
	if (rc == 0)
		rc = merged_text(&mg, fp);
	for (size_t i = 0; i < mg.n; i++) {
		free(mg.e[i].key);
		free(mg.e[i].rest);
	}
	free(mg.e);
	return rc;
}
