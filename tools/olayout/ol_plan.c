/* ol_plan.c - `olayout plan` and `olayout optimize`: load the profile and
 * the executable, run a strategy, write the layout, say what it predicts
 * (see ol_plan.h and tools/olayout/README.md). */
#include "ol_plan.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ol_cmd.h"
#include "ol_exe.h"
#include "ol_output.h"
#include "ol_rewrite.h"
#include "ol_tmp.h"

static const struct {
	const char *name;
	int (*run)(struct ol_plan *pl, struct ol_err *err);
} strategies[] = {
	{ "std", ol_plan_std },
	{ "bad", ol_plan_bad },
	{ "pettis-hansen", ol_plan_ph },
	{ "hfsort", ol_plan_hfsort },
	{ "cdsort", ol_plan_cds },
	{ "bipartite", ol_plan_bip },
	{ "color", ol_plan_color },
};

bool ol_plan_known(const char *strategy)
{
	for (size_t i = 0; i < sizeof strategies / sizeof strategies[0]; i++)
		if (strcmp(strategies[i].name, strategy) == 0)
			return true;
	return false;
}

int ol_plan_std(struct ol_plan *pl, struct ol_err *err)
{
	(void)pl;
	(void)err;
	return 0;
}

/* Everything a plan holds: the profile and plan loaded by plan_load, EXE
 * (plan only: optimize plans on the rewrite's model), freed by plan_close. */
struct pctx {
	struct ol_profile *prof;
	struct ol_exe x;
	struct ol_plan pl;
};

/* plan_free: what plan_model made (the model stays). */
static void plan_free(struct ol_plan *pl)
{
	for (size_t u = 0; pl->pu && u < pl->m->nunit; u++)
		free(pl->pu[u].chunk);
	free(pl->pu);
	free(pl->edge);
	free(pl->pmem);
	free(pl->place);
	free(pl->route);
	free(pl->placed);
	free(pl->cold);
	ol_sets_free(&pl->sets);
	memset(pl, 0, sizeof *pl);
}

static void plan_close(struct pctx *c)
{
	plan_free(&c->pl);
	ol_exe_close(&c->x);
	ol_profile_free(c->prof);
}

/* plan_load: the profile first (its error is the one to see), then the
 * cache, before EXE is opened. */
static int plan_load(struct pctx *c, const struct ol_plan_opts *o, struct ol_err *err)
{
	char perr[OL_PROFILE_ERR_MAX];
	int rc = ol_profile_load(o->profile, &c->prof, perr, sizeof perr);

	if (rc < 0)
		return ol_fail(err, rc, "%s", perr);
	return ol_geom_parse(&c->pl.geom, o->cache, c->prof, o->profile, err);
}

/* plan_model: the profile on EXE's model m. */
static int plan_model(struct pctx *c, const struct ol_plan_opts *o, const struct ol_model *m,
		      struct ol_err *err)
{
	int rc;

	c->pl.m = m;
	c->pl.prof = c->prof;
	c->pl.strategy = o->strategy;
	c->pl.hot_align = o->hot_align;
	/* the rewriter starts at the area aligned to 64 (no unit asks for more) */
	c->pl.start = (ol_out_area_start(m->elf) + 63) & ~(uint64_t)63;
	c->pl.cursor = c->pl.start;
	rc = ol_sets_init(&c->pl.sets, &c->pl.geom, err);
	if (rc == 0)
		rc = ol_plan_units(&c->pl, o->profile, o->strict, err);
	if (rc == 0)
		rc = ol_plan_lines(&c->pl, err);
	if (rc == 0)
		ol_plan_taken(&c->pl);
	return rc;
}

/* layout_name: how the layout names unit u (NAME, or NAME@FILE where NAME
 * is ambiguous). */
static const char *layout_name(const struct ol_model *m, size_t u, char *buf, size_t len)
{
	const struct ol_unit *un = &m->unit[u];

	if (ol_unit_named(m, un->name) == (long)u)
		return un->name;
	snprintf(buf, len, "%s@%s", un->name, un->file ? un->file : "");
	return buf;
}

static void write_layout(const struct ol_plan *pl, const char *profile, FILE *f)
{
	const struct ol_profile *p = pl->prof;
	char a[600], b[600];

	fprintf(f, "olayout-layout 1\n# olayout plan --strategy %s --cache %s (%llu:%llu:%llu) "
		"--profile %s\n", pl->strategy, pl->geom.name, (unsigned long long)pl->geom.size,
		(unsigned long long)pl->geom.assoc, (unsigned long long)pl->geom.line, profile);
	for (size_t i = 0; i < pl->nplace; i++) {
		const struct ol_pplace *q = &pl->place[i];
		const char *name = layout_name(pl->m, q->unit, a, sizeof a);

		if (q->path >= 0)
			fprintf(f, "clone %s %s", name, p->paths[q->path].name);
		else
			fprintf(f, "place %s", name);
		fprintf(f, " align=%llu", (unsigned long long)q->align);
		if (q->pad)
			fprintf(f, " pad=%llu", (unsigned long long)q->pad);
		fprintf(f, "  # 0x%llx\n", (unsigned long long)q->addr);
	}
	for (size_t i = 0; i < pl->nroute; i++) {
		const struct ol_proute *r = &pl->route[i];

		fprintf(f, "route %s %s %s\n", layout_name(pl->m, r->caller, a, sizeof a),
			layout_name(pl->m, r->callee, b, sizeof b), p->paths[r->path].name);
	}
}

/* summary: the occupancy the plan predicts: hot code where it will be
 * (a cloned unit's heat goes to its clone, which its path runs), with the
 * code outside the plan. */
static int summary(struct ol_plan *pl, FILE *out, struct ol_err *err)
{
	const struct ol_model *m = pl->m;
	struct ol_sets s;
	uint64_t hot = 0;
	size_t used[OL_TAKEN + 1] = { 0 }, conflict = 0, any = 0;
	bool *cloned = calloc(m->nunit + 1, sizeof *cloned);
	int rc = cloned ? ol_sets_init(&s, &pl->geom, err) : ol_fail(err, -ENOMEM, "out of memory");

	if (rc) {
		free(cloned);
		return rc;
	}
	ol_sets_free(&pl->sets);
	pl->sets = s;
	ol_plan_taken(pl);
	for (size_t i = 0; i < pl->nplace; i++)
		if (pl->place[i].path >= 0)
			cloned[pl->place[i].unit] = true;
	for (size_t i = 0; i < pl->nplace; i++) {
		const struct ol_pplace *q = &pl->place[i];
		const struct ol_pu *pu = &pl->pu[q->unit];

		if (pu->role == OL_COLD || q->shadow || (q->path < 0 && cloned[q->unit]))
			continue;
		struct ol_span sp = ol_plan_span(pl, q->unit, q->addr);

		hot += sp.size;
		ol_sets_add(&pl->sets, &sp, (int)pu->role);
	}
	for (size_t u = 0; u < m->nunit; u++) {
		struct ol_span sp = ol_plan_span(pl, u, m->unit[u].addr);

		if (pl->pu[u].placeable && pl->pu[u].role != OL_COLD && !pl->placed[u] && !cloned[u])
			ol_sets_add(&pl->sets, &sp, (int)pl->pu[u].role);
	}
	for (uint64_t i = 0; i < pl->sets.nsets; i++) {
		for (int r = OL_OTHER; r <= OL_TAKEN; r++)
			used[r] += (pl->sets.who[i] >> r) & 1;
		any += pl->sets.n[i] > 0;
		conflict += pl->sets.n[i] > pl->sets.assoc;
	}
	fprintf(out, "plan %s %s: hot bytes placed %llu, sets of %llu used by path %zu, library %zu, "
		"other hot %zu, code not placed %zu (all %zu), predicted conflicting sets %zu, "
		"clones %zu, units with line counts %zu\n", pl->strategy, pl->geom.name, (unsigned long long)hot,
		(unsigned long long)pl->sets.nsets, used[OL_PATH], used[OL_LIB], used[OL_OTHER],
		used[OL_TAKEN], any, conflict, pl->nclone, pl->nchunked);
	if (pl->note[0])
		fprintf(out, "plan %s: %s\n", pl->strategy, pl->note);
	free(cloned);
	return 0;
}

static int strategy(struct ol_plan *pl, struct ol_err *err)
{
	for (size_t i = 0; i < sizeof strategies / sizeof strategies[0]; i++)
		if (strcmp(strategies[i].name, pl->strategy) == 0)
			return strategies[i].run(pl, err);
	return ol_fail(err, -EINVAL, "unknown strategy '%s'", pl->strategy);
}

/* make_plan: the layout for model m, its text into *text (malloc'd). */
static int make_plan(struct pctx *c, const struct ol_plan_opts *o, const struct ol_model *m,
		     FILE *report, char **text, size_t *len, struct ol_err *err)
{
	FILE *f;
	int rc = plan_model(c, o, m, err);

	if (rc == 0)
		rc = strategy(&c->pl, err);
	if (rc)
		return rc;
	f = open_memstream(text, len);
	if (f == NULL)
		return ol_fail(err, -ENOMEM, "out of memory");
	write_layout(&c->pl, o->profile, f);
	if (fclose(f) != 0)
		return ol_fail(err, -ENOMEM, "out of memory");
	return summary(&c->pl, report, err);
}

int ol_cmd_plan(const struct ol_plan_opts *o, struct ol_err *err)
{
	struct pctx c = { 0 };
	char *text = NULL;
	size_t len = 0;
	int rc = plan_load(&c, o, err);

	if (rc == 0)
		rc = ol_exe_open(&c.x, o->exe, err);
	if (rc == 0)
		rc = make_plan(&c, o, &c.x.m, o->out ? stdout : stderr, &text, &len, err);
	if (rc == 0 && o->out)
		rc = ol_tmp_save(o->out, text, len, err);
	else if (rc == 0 && fwrite(text, 1, len, stdout) != len)
		rc = ol_fail(err, -EIO, "stdout: write error");
	free(text);
	plan_close(&c);
	return rc;
}

/* An optimize: the plan made on the rewrite's model, its layout text. */
struct opt {
	struct pctx c;
	const struct ol_plan_opts *o;
	char *text;
	size_t len;
	FILE *stream;
};

static int opt_plan(void *arg, const struct ol_model *m, FILE **stream, struct ol_err *err)
{
	struct opt *op = arg;
	int rc = make_plan(&op->c, op->o, m, stdout, &op->text, &op->len, err);

	plan_free(&op->c.pl);
	if (rc)
		return rc;
	op->stream = fmemopen(op->text, op->len, "r");
	*stream = op->stream;
	return op->stream ? 0 : ol_fail(err, -ENOMEM, "out of memory");
}

/* can_save: a layout that cannot be written (its folder missing or not
 * writable) is found before the rewrite replaces an OUT that exists. */
static int can_save(const char *file, struct ol_err *err)
{
	struct ol_tmp t;
	int fd = ol_tmp_open(&t, file, err);

	if (fd < 0)
		return fd;
	close(fd);
	ol_tmp_discard(&t);
	return 0;
}

int ol_cmd_optimize(const struct ol_plan_opts *o, struct ol_err *err)
{
	struct opt op = { .o = o };
	struct ol_rewrite_opts ro = { .verify = true, .plan = opt_plan, .plan_arg = &op };
	bool out_was_there = access(o->out, F_OK) == 0;
	int rc = plan_load(&op.c, o, err);

	if (rc == 0 && o->save_layout)
		rc = can_save(o->save_layout, err);
	if (rc == 0)
		rc = ol_rewrite(o->exe, o->save_layout ? o->save_layout : "planned layout",
				o->out, &ro, err);
	if (op.stream)
		fclose(op.stream);
	plan_close(&op.c);
	if (rc == 0 && o->save_layout) {
		rc = ol_tmp_save(o->save_layout, op.text, op.len, err);
		if (rc && !out_was_there)	/* else OUT is the verified new output */
			unlink(o->out);
	}
	free(op.text);
	return rc;
}
