/*
 * ol_prof_cmd.c - `olayout profile`: run (or read) a callgrind run, map its
 * counts onto the executable, and write a version 2 profile. The profile
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

/* The caches every profile names (DESIGN.md). */
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

/* What the profile lacks, said once it is written. */
struct lacks {
	bool lines, externals;
};

/* The profile text of one run. */
static int profile_text(const struct ol_prof_opts *o, const struct ol_prof *p,
			const char *log, FILE *fp, struct lacks *lacks, struct ol_err *err)
{
	struct ol_prof_bias *bias = NULL;
	size_t nbias = 0;

	fprintf(fp, "olayout-profile 2\nexe %s\n%s", ol_prof_base_name(o->exe), caches);
	if (o->training)
		fprintf(fp, "training %" PRIu64 "\n", o->training);
	int rc = ol_prof_text(p, fp, err);
	if (rc == 0)
		rc = ol_prof_lines(p, fp, &lacks->lines, err);
	if (rc == 0 && o->paths)
		rc = ol_prof_paths(p, o->paths, fp, err);
	lacks->externals = !log;
	if (rc == 0 && log)
		rc = ol_prof_vglog(log, &bias, &nbias, err);
	if (rc == 0 && log)
		rc = ol_prof_externals(p, bias, nbias, fp, err);
	ol_prof_bias_free(bias, nbias);
	return rc;
}

/* The counts of cgfile (and the load biases of log, or NULL) as profile
 * text. */
static int convert(const struct ol_prof_opts *o, const char *cgfile, const char *log, FILE *fp,
		   struct lacks *lacks, struct ol_err *err)
{
	struct ol_cg cg;
	struct ol_exe x;
	struct ol_prof p = {0};

	memset(&x, 0, sizeof x);
	int rc = ol_cg_read(&cg, cgfile, err);
	if (rc < 0)
		return rc;
	rc = ol_exe_open(&x, o->exe, err);
	if (rc == 0)
		rc = ol_prof_count(&p, &cg, &x.m, o->exe, err);
	if (rc == 0)
		rc = profile_text(o, &p, log, fp, lacks, err);
	ol_prof_free(&p);
	ol_exe_close(&x);
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

/* Runs the command under callgrind and converts the run. */
static int run(struct ol_prof_opts *o, FILE *fp, struct lacks *lacks, struct ol_err *err)
{
	char exe[4096], vg[4096];
	struct ol_prof_run r;
	int rc = find_exe("valgrind", vg, sizeof vg, err);

	if (rc == 0)
		rc = find_exe(o->cmd[0], exe, sizeof exe, err);
	if (rc < 0)
		return rc;
	if (!o->exe)
		o->exe = exe;
	rc = ol_prof_run(&r, o->vgopts, o->nvgopts, o->cmd, o->ncmd, err);
	if (rc == 0)
		rc = convert(o, r.cg, r.log, fp, lacks, err);
	ol_prof_run_clean(&r);
	return rc;
}

int ol_cmd_profile(struct ol_prof_opts *o, struct ol_err *err)
{
	struct ol_tmp t;
	struct lacks lacks = {false, false};
	char *text = NULL;
	size_t len = 0;
	int fd = ol_tmp_open(&t, o->out, err);

	if (fd < 0)
		return fd;
	FILE *fp = open_memstream(&text, &len);
	int rc = fp ? 0 : ol_fail(err, -ENOMEM, "%s: out of memory", o->out);
	if (rc == 0 && o->nmerge)
		rc = ol_prof_merge(o->merge, o->nmerge, fp, err);
	else if (rc == 0 && o->callgrind)
		rc = convert(o, o->callgrind, o->vglog, fp, &lacks, err);
	else if (rc == 0)
		rc = run(o, fp, &lacks, err);
	if (fp && fclose(fp) != 0 && rc == 0)
		rc = ol_fail(err, -ENOMEM, "%s: out of memory", o->out);
	if (rc == 0)
		rc = write_profile(&t, fd, o->out, text, len, err);
	else {
		close(fd);
		ol_tmp_discard(&t);
	}
	free(text);
	if (rc == 0 && lacks.lines)
		ol_warn("%s: no DWARF line table (build with -g): no line or cold-line entries",
			o->exe);
	if (rc == 0 && lacks.externals)
		ol_warn("no valgrind log (--valgrind-log): no external entries");
	return rc;
}
