/*
 * ol_prof_perf.c - `olayout profile --from-perf`: the samples of a perf.data
 * file, read through `perf script` (perf's own reader of its format), as a
 * run that ol_prof_count maps like callgrind's: each sample is one count at
 * the sampled address, each caller -> callee pair of its callchain one call
 * (once per sample). A frame of EXE is placed by perf's symbol and offset,
 * which perf prints alike for PIE and non-PIE executables, with and without
 * callchains; the address perf prints beside it agrees with that within a
 * page (load biases and file offsets are page multiples), which tells
 * statics of one name apart. perf buildid-list must give EXE the build-id
 * EXE has: perf script would read a recorded build from perf's cache.
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof.h"

#include <gelf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ol_buildid.h"
#include "ol_util.h"

#define PAGE_MASK 0xfffu

/* One frame of a sample: where ol_prof_count will see it. */
struct frame {
	uint64_t addr;
	size_t ob;
	long unit;	/* EXE's unit, or -1 (another object, or outside EXE's units) */
};

struct reader {
	struct ol_cg *cg;
	struct ol_prof_perf *out;
	const struct ol_model *m;
	const char *exe, *data;
	struct stat st;
	bool *is_exe;		/* per object */
	size_t ob_cap, exe_cap, insn_cap, call_cap;
	struct frame *fr;
	size_t nfr, fr_cap;
	size_t unknown;		/* the object of EXE's frames outside its units */
	bool *stacked;		/* per unit of EXE: on a callchain (so it ran) */
	long exe_ob;		/* EXE's object, once a frame was in it */
	unsigned long lineno;
	struct ol_err *err;
};

/* The object named path (its index in cg's object names, added if new). */
static long object(struct reader *r, const char *path)
{
	struct ol_cg *cg = r->cg;
	for (size_t i = 0; i < cg->nnames[OL_CG_OB]; i++)
		if (strcmp(cg->names[OL_CG_OB][i], path) == 0)
			return (long)i;
	size_t n = cg->nnames[OL_CG_OB];
	char *copy = strdup(path);
	if (!copy || ol_grow((void **)&cg->names[OL_CG_OB], &r->ob_cap, n + 1,
			     sizeof *cg->names[OL_CG_OB]) < 0 ||
	    ol_grow((void **)&r->is_exe, &r->exe_cap, n + 1, sizeof *r->is_exe) < 0) {
		free(copy);
		return ol_fail(r->err, -ENOMEM, "%s: out of memory", r->data);
	}
	cg->names[OL_CG_OB][n] = copy;
	r->is_exe[n] = ol_prof_is_exe(path, r->exe, &r->st);
	cg->nnames[OL_CG_OB] = n + 1;
	return (long)n;
}

/* EXE's unit that sym+off names and ip agrees with (within a page), or -1;
 * *known: EXE has a function of that name. */
static long place(const struct ol_model *m, const char *sym, uint64_t off, uint64_t ip,
		  bool *known)
{
	*known = false;
	for (size_t i = ol_model_first_name(m, sym);
	     i < m->nname && strcmp(m->names[i].name, sym) == 0; i++) {
		const struct ol_unit *un = &m->unit[m->names[i].unit];
		*known = true;
		if (off <= un->size && ((un->addr + off) & PAGE_MASK) == (ip & PAGE_MASK))
			return (long)m->names[i].unit;
	}
	return -1;
}

/* "IP SYM[+0xOFF] (DSO)" into r->fr[r->nfr++]. */
static int frame(struct reader *r, char *s)
{
	char *end, *plus;
	uint64_t ip = strtoull(s, &end, 16), off = 0;
	char *sym = end + strspn(end, " \t");
	char *dso = sym + strcspn(sym, " \t");
	size_t len;

	if (end == s || sym == end || !*dso)
		goto bad;
	*dso++ = '\0';
	dso += strspn(dso, " \t");
	len = strlen(dso);
	if (len < 2 || dso[0] != '(' || dso[len - 1] != ')')
		goto bad;
	dso[len - 1] = '\0';
	plus = strstr(sym, "+0x");
	if (plus) {
		*plus = '\0';
		off = strtoull(plus + 3, &end, 16);
		if (*end)
			goto bad;
	}
	long ob = object(r, dso + 1);
	if (ob < 0)
		return (int)ob;
	if (ol_grow((void **)&r->fr, &r->fr_cap, r->nfr + 1, sizeof *r->fr) < 0)
		return ol_fail(r->err, -ENOMEM, "%s: out of memory", r->data);
	struct frame *f = &r->fr[r->nfr++];
	bool known = false;
	*f = (struct frame){ip, (size_t)ob, -1};
	if (r->is_exe[ob]) {
		f->unit = place(r->m, sym, off, ip, &known);
		if (f->unit >= 0) {	/* a caller's return address: into its call */
			f->addr = r->m->unit[f->unit].addr + off - (r->nfr > 1 && off);
			r->stacked[f->unit] = true;
			r->exe_ob = ob;
		}
		else if (!known)	/* a PLT entry, say: not one of EXE's functions */
			f->ob = r->unknown;
		else
			return ol_fail(r->err, -EINVAL, "%s: %s+0x%" PRIx64 " at 0x%" PRIx64
				       " is not where %s has it (recorded from another build?)",
				       r->data, sym, off, ip, r->exe);
		r->out->exe_samples += r->nfr == 1;
	}
	return 0;
bad:
	return ol_fail(r->err, -EINVAL, "%s: perf script line %lu is not 'IP SYM (DSO)': %s",
		       r->data, r->lineno, s);
}

/* Whether frames i-1 -> i is a caller -> callee pair met earlier in this
 * sample (a recursion counts once). */
static bool seen(const struct reader *r, size_t i)
{
	for (size_t j = 1; j < i; j++)
		if (r->fr[j].unit == r->fr[i].unit && r->fr[j - 1].unit == r->fr[i - 1].unit)
			return true;
	return false;
}

/* The sample of r->fr: its count and its calls into EXE. */
static int flush(struct reader *r)
{
	struct ol_cg *cg = r->cg;
	if (r->nfr == 0)
		return 0;
	r->out->samples++;
	r->out->chains += r->nfr > 1;
	if (r->fr[0].unit >= 0) {
		if (ol_grow((void **)&cg->insn, &r->insn_cap, cg->ninsn + 1, sizeof *cg->insn) < 0)
			return ol_fail(r->err, -ENOMEM, "%s: out of memory", r->data);
		cg->insn[cg->ninsn++] = (struct ol_cg_insn){r->fr[0].addr, 1, r->fr[0].ob, 0};
	}
	for (size_t i = r->nfr - 1; i >= 1; i--) {
		const struct frame *from = &r->fr[i], *to = &r->fr[i - 1];
		if (to->unit < 0 || seen(r, i))
			continue;
		if (ol_grow((void **)&cg->call, &r->call_cap, cg->ncall + 1, sizeof *cg->call) < 0)
			return ol_fail(r->err, -ENOMEM, "%s: out of memory", r->data);
		cg->call[cg->ncall++] = (struct ol_cg_call){from->addr, to->addr, 1, 1, from->ob,
							   to->ob, 0};
	}
	r->nfr = 0;
	return 0;
}

/* "EVENT: [FRAME]": a sample begins. */
static int header(struct reader *r, char *line)
{
	size_t n = strcspn(line, " \t");
	char *rest = line + n + strspn(line + n, " \t");
	int rc = flush(r);

	if (rc < 0)
		return rc;
	if (n < 2 || line[n - 1] != ':')
		return ol_fail(r->err, -EINVAL, "%s: perf script line %lu is not 'EVENT: ...': %s",
			       r->data, r->lineno, line);
	line[n - 1] = '\0';
	if (!r->out->event && !(r->out->event = strdup(line)))
		return ol_fail(r->err, -ENOMEM, "%s: out of memory", r->data);
	if (strcmp(r->out->event, line) != 0)
		return ol_fail(r->err, -EINVAL, "%s: samples of two events (%s, %s): record one",
			       r->data, r->out->event, line);
	return *rest ? frame(r, rest) : 0;
}

static int parse(struct reader *r, FILE *fp)
{
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	/* after a problem, read on: perf then ends by itself, and its exit
	 * status tells whether the problem was the file's */
	while (getline(&line, &cap, fp) >= 0) {
		if (rc < 0)
			continue;
		r->lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			rc = flush(r);
		else if (line[0] != ' ' && line[0] != '\t')
			rc = header(r, line);
		else if (r->out->event)
			rc = frame(r, line + strspn(line, " \t"));
		else
			rc = ol_fail(r->err, -EINVAL, "%s: perf script line %lu: a frame before "
				     "any sample: %s", r->data, r->lineno, line);
	}
	free(line);
	return rc < 0 ? rc : flush(r);
}

/* perf script's output (the reader's errors go to err). */
static int read_script(void *arg, FILE *fp, struct ol_err *err)
{
	struct reader *r = arg;
	struct ol_err *keep = r->err;
	r->err = err;
	int rc = parse(r, fp);
	r->err = keep;
	return rc;
}

/* EXE's GNU build-id in hex, or "" when it has none. */
static void build_id(Elf *e, char *hex, size_t len)
{
	struct ol_buildid id;

	hex[0] = '\0';
	if (ol_buildid_find(e, &id) != 0)
		return;
	for (size_t i = 0; i < id.size && 2 * i + 2 < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", id.bytes[i]);
}

/* perf buildid-list's "BUILD-ID PATH" lines: EXE's must be EXE's own. */
static int read_build_ids(void *arg, FILE *fp, struct ol_err *err)
{
	struct reader *r = arg;
	char *line = NULL, own[64];
	size_t cap = 0;
	int rc = 0;

	build_id(r->m->elf->e, own, sizeof own);
	while (getline(&line, &cap, fp) >= 0) {
		line[strcspn(line, "\n")] = '\0';
		char *sp = strchr(line, ' ');
		if (rc < 0 || !own[0] || !sp)
			continue;
		*sp = '\0';
		if (ol_prof_is_exe(sp + 1, r->exe, &r->st) && strcmp(line, own) != 0)
			rc = ol_fail(err, -EINVAL, "%s: recorded from another build of %s (build-id "
				     "%.12s..., %s has %.12s...)", r->data, r->exe, line, r->exe, own);
	}
	free(line);
	return rc;
}

/* A count of 0 in each unit a callchain named: it ran, though no sample hit
 * its own code. */
static int stacked(struct reader *r)
{
	for (size_t u = 0; r->exe_ob >= 0 && u < r->m->nunit; u++) {
		if (!r->stacked[u])
			continue;
		if (ol_grow((void **)&r->cg->insn, &r->insn_cap, r->cg->ninsn + 1,
			    sizeof *r->cg->insn) < 0)
			return ol_fail(r->err, -ENOMEM, "%s: out of memory", r->data);
		r->cg->insn[r->cg->ninsn++] =
			(struct ol_cg_insn){r->m->unit[u].addr, 0, (size_t)r->exe_ob, 0};
	}
	return 0;
}

int ol_prof_perf(struct ol_cg *cg, struct ol_prof_perf *out, const char *data,
		 const struct ol_model *m, const char *exe, struct ol_err *err)
{
	struct reader r = {.cg = cg, .out = out, .m = m, .exe = exe, .data = data, .err = err,
			   .exe_ob = -1};
	int rc = 0;

	memset(cg, 0, sizeof *cg);
	memset(out, 0, sizeof *out);
	if (stat(exe, &r.st) < 0)
		return ol_fail(err, -errno, "%s: %s", exe, strerror(errno));
	long unknown = object(&r, "[unknown]");
	r.stacked = calloc(m->nunit + 1, sizeof *r.stacked);
	if (unknown < 0)
		rc = (int)unknown;
	else if (!r.stacked)
		rc = ol_fail(err, -ENOMEM, "%s: out of memory", data);
	r.unknown = (size_t)unknown;
	char *ids[] = {"perf", "buildid-list", "-i", (char *)data, NULL};
	char *script[] = {"perf", "script", "-i", (char *)data, "-F", "event,ip,sym,symoff,dso",
			  "--no-demangle", "--no-inline", NULL};
	if (rc == 0)
		rc = ol_prof_perf_run(ids, data, read_build_ids, &r, err);
	if (rc == 0)
		rc = ol_prof_perf_run(script, data, read_script, &r, err);
	if (rc == 0)
		rc = stacked(&r);
	if (rc == 0 && out->samples == 0)
		rc = ol_fail(err, -EINVAL, "%s: no samples in it", data);
	else if (rc == 0 && out->exe_samples == 0)
		rc = ol_fail(err, -EINVAL, "%s: none of its %" PRIu64 " samples is in %s (a "
			     "recording of another program?)", data, out->samples, exe);
	free(r.is_exe);
	free(r.fr);
	free(r.stacked);
	if (rc < 0) {
		ol_cg_free(cg);
		ol_prof_perf_free(out);
	}
	return rc;
}

void ol_prof_perf_free(struct ol_prof_perf *p)
{
	free(p->event);
	p->event = NULL;
}
