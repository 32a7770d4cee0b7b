/* ol_compare.c - `olayout compare`: two executables run on the same
 * arguments, under callgrind (instructions, simulated I1 misses per cache
 * geometry), under `perf stat` where it has counters, and timed; one table
 * with B/A ratios (see ol_compare.h and tools/olayout/README.md). */
#include "ol_compare.h"

#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ol_plan.h"
#include "ol_prof_run.h"

#define NPERF 4
static const char *const perf_events[NPERF] = { "instructions", "cycles",
						"L1-icache-load-misses", "iTLB-load-misses" };

struct cctx {
	const struct ol_compare_opts *o;
	char dir[64];		/* the temporary directory: prog copies, outputs */
	char prog[2][96];	/* dir/a, dir/b: copies of A and B (same name length) */
	uint64_t ir[2], i1[OL_COMPARE_MAX_CACHES][2];
	struct ol_geom g[OL_COMPARE_MAX_CACHES];
	double perf[NPERF][2];
	char perf_note[240];	/* why the counters are missing, "" if not */
	double *wall[2];
	int status[2];		/* exit status of the first run, -1 before */
	bool in_perf;		/* perf stat's status is not the program's */
};

static const char *name(const struct cctx *c, int ab)
{
	return ab ? c->o->exe_b : c->o->exe_a;
}

/* copy: A or B into the temporary directory, so both run as paths of one
 * length (the stack's layout, hence the counts, depend on argv[0]). */
static int copy(const char *from, const char *to, struct ol_err *err)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_EXCL, 0700);
	ssize_t n = 0;

	while (out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			n = -1;
	if (in >= 0)
		close(in);
	if (out < 0 || n < 0 || close(out) != 0)
		return ol_fail(err, -EIO, "%s: cannot copy to %s", from, to);
	return 0;
}

/* spawn: run argv with an empty environment, stdin /dev/null, stdout and
 * stderr into files; *status the wait status. */
static int spawn(char **argv, const char *out, const char *errf, int *status,
		 struct ol_err *err)
{
	static char *empty_env[] = { NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, errf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, empty_env);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return ol_fail(err, -rc, "%s: %s", argv[0], strerror(rc));
	if (waitpid(pid, status, 0) < 0)
		return ol_fail(err, -errno, "%s: wait: %s", argv[0], strerror(errno));
	return 0;
}

/* argv_of: prefix (NULL-ended), then the program, then the user's ARGS. */
static char **argv_of(const struct cctx *c, char *const *prefix, int ab)
{
	size_t np = 0, k = 0;
	char **v;

	while (prefix && prefix[np])
		np++;
	v = malloc((np + (size_t)c->o->nargs + 2) * sizeof *v);
	if (v == NULL)
		return NULL;
	for (; k < np; k++)
		v[k] = prefix[k];
	v[k++] = (char *)c->prog[ab];
	for (int i = 0; i < c->o->nargs; i++)
		v[k++] = c->o->args[i];
	v[k] = NULL;
	return v;
}

/* run: one run of A or B (under prefix); fails when it does not exit (a
 * signal) or exits otherwise than its first run did. */
static int run(struct cctx *c, char *const *prefix, int ab, const char *tag, struct ol_err *err)
{
	char out[128], errf[128];
	char **argv = argv_of(c, prefix, ab);
	int st = 0, rc;

	if (argv == NULL)
		return ol_fail(err, -ENOMEM, "out of memory");
	snprintf(out, sizeof out, "%s/%c.%s.out", c->dir, "ab"[ab], tag);
	snprintf(errf, sizeof errf, "%s/%c.%s.err", c->dir, "ab"[ab], tag);
	rc = spawn(argv, out, errf, &st, err);
	free(argv);
	if (rc == 0 && !WIFEXITED(st))
		rc = ol_fail(err, -ECHILD, "%s: killed by signal %d%s%s", name(c, ab),
			     WIFSIGNALED(st) ? WTERMSIG(st) : 0, prefix ? " under " : "",
			     prefix ? prefix[0] : "");
	else if (rc == 0 && c->status[ab] < 0)
		c->status[ab] = WEXITSTATUS(st);
	else if (rc == 0 && c->status[ab] != WEXITSTATUS(st) && !c->in_perf)
		rc = ol_fail(err, -ECHILD, "%s: exited with status %d, then %d%s%s", name(c, ab),
			     c->status[ab], WEXITSTATUS(st), prefix ? " under " : "",
			     prefix ? prefix[0] : "");
	return rc;
}

/* same_file: files a and b hold the same bytes. */
static bool same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int x = 0, y = 0;

	while (fa && fb && (x = getc(fa)) == (y = getc(fb)) && x != EOF)
		;
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return fa && fb && x == y;
}

/* callgrind: both programs under callgrind with cache k's I1 (D1 the same,
 * a large LL: only I1 is reported). */
static int callgrind(struct cctx *c, size_t k, struct ol_err *err)
{
	char cache[3][64], outf[128], log[128], tag[24];
	char *pre[] = { "valgrind", "--tool=callgrind", "--cache-sim=yes", cache[0], cache[1],
			cache[2], outf, log, c->o->bracketed ? "--instr-atstart=no" : NULL, NULL };
	int rc = 0;

	ol_prof_cache_opts(&c->g[k], cache);
	for (int ab = 0; ab < 2 && rc == 0; ab++) {
		snprintf(outf, sizeof outf, "--callgrind-out-file=%s/%c.cg%zu", c->dir, "ab"[ab], k);
		snprintf(log, sizeof log, "--log-file=%s/%c.vg%zu", c->dir, "ab"[ab], k);
		snprintf(tag, sizeof tag, "cg%zu", k);
		rc = run(c, pre, ab, tag, err);
		if (rc == 0)
			rc = ol_prof_totals(outf + strlen("--callgrind-out-file="), k ? &(uint64_t){ 0 } : &c->ir[ab],
				    &c->i1[k][ab], err);
	}
	return rc;
}

/* perf: perf stat's four counters for both, or the reason there are none. */
static void perf(struct cctx *c)
{
	char outf[128], line[512];
	char *pre[] = { "perf", "stat", "-x,", "-o", outf, "-e",
			"instructions,cycles,L1-icache-load-misses,iTLB-load-misses", "--", NULL };
	struct ol_err e = { { 0 } };

	c->in_perf = true;
	for (int ab = 0; ab < 2 && !c->perf_note[0]; ab++) {
		FILE *f;

		snprintf(outf, sizeof outf, "%s/%c.perf", c->dir, "ab"[ab]);
		if (run(c, pre, ab, "perf", &e) != 0) {
			snprintf(c->perf_note, sizeof c->perf_note, "perf stat failed (%.150s)", e.msg);
			break;
		}
		f = fopen(outf, "r");
		for (int i = 0; i < NPERF; i++)
			c->perf[i][ab] = -1;
		while (f && fgets(line, sizeof line, f)) {
			char *ev = strchr(line, ',') ? strchr(strchr(line, ',') + 1, ',') : NULL;

			for (int i = 0; ev && i < NPERF; i++)
				if (strncmp(ev + 1, perf_events[i], strlen(perf_events[i])) == 0 &&
				    ev[1 + strlen(perf_events[i])] == ',' && line[0] >= '0' && line[0] <= '9')
					c->perf[i][ab] = strtod(line, NULL);
		}
		if (f)
			fclose(f);
		for (int i = 0; i < NPERF && !c->perf_note[0]; i++)
			if (c->perf[i][ab] < 0)
				snprintf(c->perf_note, sizeof c->perf_note,
					 "perf stat counts no %s here (no hardware counters)", perf_events[i]);
	}
	c->in_perf = false;
}

/* wall: o->runs timed runs of each, A and B interleaved. */
static int wall(struct cctx *c, struct ol_err *err)
{
	int rc = 0;

	for (int r = 0; r < c->o->runs && rc == 0; r++)
		for (int ab = 0; ab < 2 && rc == 0; ab++) {
			struct timespec t0, t1;

			clock_gettime(CLOCK_MONOTONIC, &t0);
			rc = run(c, NULL, ab, "wall", err);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			c->wall[ab][r] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
					 (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		}
	return rc;
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void row(const char *what, double a, double b)
{
	printf("%-40s %16.0f %16.0f %8.4f\n", what, a, b, a ? b / a : 0.0);
}

static void table(struct cctx *c)
{
	char what[128];

	printf("compare A %s B %s (%d args, both exit %d)\n%-40s %16s %16s %8s\n", c->o->exe_a, c->o->exe_b,
	       c->o->nargs, c->status[0], "metric", "A", "B", "B/A");
	row("instructions (callgrind)", (double)c->ir[0], (double)c->ir[1]);
	for (size_t k = 0; k < c->o->ncaches; k++) {
		snprintf(what, sizeof what, "I1 misses %s %" PRIu64 ":%" PRIu64 ":%" PRIu64,
			 c->g[k].name, c->g[k].size, c->g[k].assoc, c->g[k].line);
		row(what, (double)c->i1[k][0], (double)c->i1[k][1]);
	}
	for (int i = 0; i < NPERF && !c->perf_note[0]; i++) {
		snprintf(what, sizeof what, "%s (perf stat)", perf_events[i]);
		row(what, c->perf[i][0], c->perf[i][1]);
	}
	for (int ab = 0; ab < 2; ab++)
		qsort(c->wall[ab], (size_t)c->o->runs, sizeof *c->wall[ab], dbl_cmp);
	snprintf(what, sizeof what, "wall us, median of %d", c->o->runs);
	row(what, c->wall[0][c->o->runs / 2] * 1e3, c->wall[1][c->o->runs / 2] * 1e3);
	if (c->perf_note[0])
		printf("hardware counters: missing: %s\n", c->perf_note);
}

/* runnable: an executable ELF file (any: compare needs no relocations). */
static int runnable(const char *path, struct ol_err *err)
{
	unsigned char magic[4] = { 0 };
	struct stat st;
	int fd = open(path, O_RDONLY);
	bool ok = fd >= 0 && fstat(fd, &st) == 0;
	bool elf = ok && read(fd, magic, 4) == 4 && memcmp(magic, "\177ELF", 4) == 0;

	if (ok && !S_ISREG(st.st_mode))
		return close(fd), ol_fail(err, -EINVAL, "%s: not a regular file", path);
	if (fd >= 0)
		close(fd);
	if (ok && !elf)
		return ol_fail(err, -EINVAL, "%s: not an ELF file", path);
	if (!ok || access(path, X_OK) != 0)
		return ol_fail(err, -errno, "%s: %s", path, strerror(errno));
	return 0;
}

/* prepare: both programs runnable ELF files, the geometries known, the
 * copies made. */
static int prepare(struct cctx *c, struct ol_err *err)
{
	int rc = 0;

	for (size_t k = 0; k < c->o->ncaches && rc == 0; k++)
		rc = ol_geom_parse(&c->g[k], c->o->caches[k], NULL, NULL, err);
	for (int ab = 0; ab < 2 && rc == 0; ab++)
		rc = runnable(name(c, ab), err);
	if (rc)
		return rc;
	snprintf(c->dir, sizeof c->dir, "/tmp/olcmp.XXXXXX");
	if (mkdtemp(c->dir) == NULL) {
		c->dir[0] = 0;
		return ol_fail(err, -errno, "/tmp: cannot make a directory: %s", strerror(errno));
	}
	for (int ab = 0; ab < 2 && rc == 0; ab++) {
		snprintf(c->prog[ab], sizeof c->prog[ab], "%s/%c", c->dir, "ab"[ab]);
		rc = copy(name(c, ab), c->prog[ab], err);
	}
	c->wall[0] = calloc((size_t)c->o->runs, sizeof(double));
	c->wall[1] = calloc((size_t)c->o->runs, sizeof(double));
	if (rc == 0 && (!c->wall[0] || !c->wall[1]))
		rc = ol_fail(err, -ENOMEM, "out of memory");
	return rc;
}

/* clean: the temporary directory and what is in it. */
static void clean(struct cctx *c)
{
	char *argv[] = { "rm", "-rf", "--", c->dir, NULL };
	int st;
	struct ol_err e = { { 0 } };

	if (c->dir[0])
		spawn(argv, "/dev/null", "/dev/null", &st, &e);
	free(c->wall[0]);
	free(c->wall[1]);
}

int ol_cmd_compare(const struct ol_compare_opts *o, struct ol_err *err)
{
	struct cctx c = { .o = o, .status = { -1, -1 } };
	char a[160], b[160];
	int rc = prepare(&c, err);

	for (size_t k = 0; k < o->ncaches && rc == 0; k++)
		rc = callgrind(&c, k, err);
	if (rc == 0) {
		snprintf(a, sizeof a, "%s/a.cg0.out", c.dir);
		snprintf(b, sizeof b, "%s/b.cg0.out", c.dir);
		if (c.status[0] != c.status[1])
			rc = ol_fail(err, -EINVAL, "%s: exits with status %d, %s with %d on the "
				     "same arguments", o->exe_b, c.status[1], o->exe_a, c.status[0]);
		else if (!same_file(a, b))
			ol_warn("%s: output differs from %s's on the same arguments (a program "
				"that prints times differs anyway)", o->exe_b, o->exe_a);
	}
	if (rc == 0)
		perf(&c);
	if (rc == 0)
		rc = wall(&c, err);
	if (rc == 0)
		table(&c);
	clean(&c);
	return rc;
}
