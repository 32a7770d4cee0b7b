/*
 * ol_prof_cmd.c - `olayout profile`: run (or read) a callgrind run, or read
 * perf.data's samples, map the counts onto the executable, and write a
 * version 5 profile (6 with --copies, 7 with --blocks; 3 for samples: no
 * `insn` or `branch` entries). The profile
 * text is built in memory, read back by the one parser (lib/profile, so a
 * profile olayout writes is one it accepts) and written in its canonical
 * form to OUT through a temporary: OUT is whole or untouched.
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof_cmd.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ol_exe.h"
#include "ol_prof.h"
#include "ol_prof_run.h"
#include "ol_profile.h"
#include "ol_tmp.h"

/* The caches every profile names (docs/DESIGN.md, Measuring). */
static const char caches[] =
	"cache alpha21064 8192 1 32\n"
	"cache modern 32768 8 64\n";

/* Reads text (the profile olayout made) and writes it canonically to the
 * temporary fd of t, then puts it in place. */
static int write_profile(struct ol_tmp *t, int fd, const char *out, const char *text,
			 size_t len, struct ol_err *err)
{
	struct ol_profile *prof;
	char perr[OL_PROFILE_ERR_MAX];
	FILE *fp = NULL;
	int rc = ol_profile_parse("the profile made", text, len, &prof, perr, sizeof perr);

	if (rc < 0)
		ol_fail(err, rc, "%s: %s", out, perr);
	else {
		fp = fdopen(fd, "w");
		rc = fp ? ol_profile_write(fp, prof) : -errno;
		if (fp && fclose(fp) != 0 && rc == 0)
			rc = -EIO;
		ol_profile_free(prof);
		if (rc < 0)
			ol_fail(err, rc, "%s: cannot write: %s", out, strerror(-rc));
	}
	if (!fp)
		close(fd);
	if (rc < 0) {
		ol_tmp_discard(t);
		return rc;
	}
	return ol_tmp_commit(t, err);
}

/* What is said once the profile is written: what it lacks, what its
 * counts are. */
struct report {
	bool lines, externals;
	struct ol_prof_perf perf;	/* --from-perf: what perf.data held */
	char exe[4096];			/* the command found in PATH: o->exe may point here */
};

/* The profile text of one run (event: the counts are its samples, or NULL:
 * instructions). */
static int profile_text(const struct ol_prof_opts *o, const struct ol_prof *p, const char *event,
			const char *log, FILE *fp, struct report *rep, struct ol_err *err)
{
	struct ol_prof_bias *bias = NULL;
	size_t nbias = 0;

	fprintf(fp, "olayout-profile %d\nexe %s\n%s", event ? 3 : o->blocks ? 7 : o->copies ? 6 : 5,
		ol_prof_base_name(o->exe), caches);
	if (event)
		fprintf(fp, "samples %s\n", event);
	if (o->training)
		fprintf(fp, "training %" PRIu64 "\n", o->training);
	int rc = ol_prof_text(p, fp, err);
	if (rc == 0)
		rc = ol_prof_lines(p, fp, &rep->lines, err);
	if (rc == 0 && ol_prof_insns(p, fp) < 0)
		rc = ol_fail(err, -EIO, "%s: cannot write the profile", o->exe);
	if (rc == 0)
		rc = ol_prof_branches(p, fp, err);
	if (rc == 0 && o->copies)
		rc = ol_prof_copies(p, fp, err);
	if (rc == 0 && o->blocks)
		rc = ol_prof_blocks(p, fp, err);
	if (rc == 0 && o->paths)
		rc = ol_prof_paths(p, o->paths, fp, err);
	rep->externals = !log && !event;
	if (rc == 0 && log)
		rc = ol_prof_vglog(log, &bias, &nbias, err);
	if (rc == 0 && log)
		rc = ol_prof_externals(p, bias, nbias, fp, err);
	ol_prof_bias_free(bias, nbias);
	return rc;
}

/* The counts of a callgrind run cg (with the load biases of log or NULL),
 * or with o->perf of a perf.data file, as profile text. */
static int convert_cg(const struct ol_prof_opts *o, struct ol_cg *cg, const char *log, FILE *fp,
		      struct report *rep, struct ol_err *err)
{
	struct ol_exe x;
	struct ol_prof p = {0};

	memset(&x, 0, sizeof x);
	int rc = ol_exe_open(&x, o->exe, err);
	if (rc == 0 && o->perf)
		rc = ol_prof_perf(cg, &rep->perf, o->perf, &x.m, o->exe, err);
	if (rc == 0)
		rc = ol_prof_count(&p, cg, &x.m, o->exe, err);
	p.sampled = o->perf != NULL;
	if (rc == 0)
		rc = profile_text(o, &p, rep->perf.event, log, fp, rep, err);
	ol_prof_free(&p);
	ol_exe_close(&x);
	return rc;
}

/* The same, the run read from the file cgfile (unless o->perf). */
static int convert(const struct ol_prof_opts *o, const char *cgfile, const char *log, FILE *fp,
		   struct report *rep, struct ol_err *err)
{
	struct ol_cg cg = {0};
	int rc = o->perf ? 0 : ol_cg_read(&cg, cgfile, err);
	if (rc == 0)
		rc = convert_cg(o, &cg, log, fp, rep, err);
	ol_cg_free(&cg);
	return rc;
}

/* The file a command names: as given when it has a '/', else from PATH. */
static int find_exe(const char *cmd, char *buf, size_t len, struct ol_err *err)
{
	const char *path = getenv("PATH");
	if (strchr(cmd, '/')) {
		snprintf(buf, len, "%s", cmd);
		return access(buf, X_OK) == 0 ? 0 : ol_fail(err, -errno, "%s: %s", cmd,
							    strerror(errno));
	}
	for (const char *p = path ? path : ""; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(buf, len, "%.*s/%s", (int)n, p, cmd);
		if (n && access(buf, X_OK) == 0)
			return 0;
		p += n + (p[n] == ':');
	}
	return ol_fail(err, -ENOENT, "%s: not found in PATH", cmd);
}

/* Runs the command under callgrind and converts the run; with --exe, the
 * runs of EXE among every process the command starts, summed. */
static int run(struct ol_prof_opts *o, FILE *fp, struct report *rep, struct ol_err *err)
{
	char vg[4096];
	struct ol_prof_run r;
	struct ol_cg cg = {0};
	bool children = o->exe != NULL;
	int rc = find_exe("valgrind", vg, sizeof vg, err);

	if (rc == 0)
		rc = find_exe(o->cmd[0], rep->exe, sizeof rep->exe, err);
	if (rc < 0)
		return rc;
	if (!o->exe)
		o->exe = rep->exe;	/* read again by tell(), after this frame */
	if (o->blocks && (rc = ol_prof_blockids_check(o->exe, err)) < 0)
		return rc;	/* before the run, not after it */
	if (o->copies && (rc = ol_prof_copies_check(o->exe, err)) < 0)
		return rc;
	static const char *const tool[] = { "--dump-instr=yes", "--collect-jumps=yes", NULL };
	struct ol_prof_cmd c = { "profile", tool, o->vgopts, o->cmd, o->nvgopts, o->ncmd, children };

	rc = ol_prof_run(&r, &c, err);
	if (rc == 0 && children)
		rc = ol_prof_suite(&r, o->exe, &cg, r.log, sizeof r.log, err);
	if (rc == 0 && children)
		rc = convert_cg(o, &cg, r.log, fp, rep, err);
	else if (rc == 0)
		rc = convert(o, r.cg, r.log, fp, rep, err);
	ol_cg_free(&cg);
	ol_prof_run_clean(&r);
	return rc;
}

/* Says what the written profile's counts are, and what it lacks. */
static void tell(const struct ol_prof_opts *o, const struct report *rep)
{
	const struct ol_prof_perf *pp = &rep->perf;
	if (o->perf)
		printf("%s: its counts are %s samples, not instructions: %" PRIu64 " samples, %"
		       PRIu64 " in %s, %" PRIu64 " with a callchain\n", o->out, pp->event,
		       pp->samples, pp->exe_samples, o->exe, pp->chains);
	if (o->perf && !pp->chains)
		ol_warn("%s: no callchains (record with perf record -g): no edge entries", o->perf);
	if (rep->lines)
		ol_warn("%s: no DWARF line table (build with -g): no line or cold-line entries",
			o->exe);
	if (rep->externals)
		ol_warn("no valgrind log (--valgrind-log): no external entries");
}

int ol_cmd_profile(struct ol_prof_opts *o, struct ol_err *err)
{
	struct ol_tmp t;
	struct report rep = {0};
	char *text = NULL;
	size_t len = 0;
	int fd = ol_tmp_open(&t, o->out, err);

	if (fd < 0)
		return fd;
	FILE *fp = open_memstream(&text, &len);
	int rc = fp ? 0 : ol_fail(err, -ENOMEM, "%s: out of memory", o->out);
	if (rc == 0 && o->nmerge)
		rc = ol_prof_merge(o->merge, o->nmerge, fp, err);
	else if (rc == 0 && (o->callgrind || o->perf))
		rc = convert(o, o->callgrind, o->vglog, fp, &rep, err);
	else if (rc == 0)
		rc = run(o, fp, &rep, err);
	if (fp && fclose(fp) != 0 && rc == 0)
		rc = ol_fail(err, -ENOMEM, "%s: out of memory", o->out);
	if (rc == 0)
		rc = write_profile(&t, fd, o->out, text, len, err);
	else {
		close(fd);
		ol_tmp_discard(&t);
	}
	free(text);
	if (rc == 0)
		tell(o, &rep);
	ol_prof_perf_free(&rep.perf);
	return rc;
}
