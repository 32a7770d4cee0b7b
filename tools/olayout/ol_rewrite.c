/* ol_rewrite.c - planning and fixing references (see ol_rewrite.h). */
#include "ol_rewrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ol_buildid.h"
#include "ol_cmd.h"
#include "ol_eh.h"
#include "ol_exe.h"
#include "ol_layout.h"
#include "ol_output.h"
#include "ol_tmp.h"

/* One unit copied into the new text area. */
struct copy {
	size_t unit;
	const char *path;	/* NULL: the unit moved here */
	uint64_t addr;
	long next;		/* next clone of the same unit */
};

/* A jump table copied for a clone. */
struct tcopy {
	size_t tab;
	size_t copy;
	uint64_t addr;
};

struct rw {
	struct ol_elf *elf;
	struct ol_model *m;
	struct ol_layout *lay;
	struct ol_out *out;
	struct ol_err *err;
	uint64_t *home;		/* per unit: where it is in the output */
	long *moved;		/* per unit: its copy if it moved, else -1 */
	long *clones;		/* per unit: its first clone copy, or -1 */
	struct copy *cp;
	size_t ncp;
	struct tcopy *tc;
	size_t ntc;
	uint64_t *sym_new;	/* per .symtab entry: its value in the output */
	uint8_t *done;		/* per elf->rel: fixed already */
	uint64_t eh_old, eh_size, eh_new;	/* .eh_frame moves as a whole */
	bool skip_unmovable;
};

static long clone_of(const struct rw *w, size_t u, const char *path)
{
	for (long c = w->clones[u]; c >= 0; c = w->cp[c].next)
		if (w->cp[c].path == path)
			return c;
	return -1;
}

/* Where an address of the input is in the output, seen from data. */
static uint64_t home_of(const struct rw *w, uint64_t t)
{
	long u = ol_unit_at(w->m, t);

	if (u >= 0)
		return w->home[u] + (t - w->m->unit[u].addr);
	if (w->eh_size && t >= w->eh_old && t - w->eh_old < w->eh_size)
		return w->eh_new + (t - w->eh_old);
	return t;
}

static uint64_t home_cb(void *arg, uint64_t t)
{
	return home_of(arg, t);
}

/* A route from function caller to unit u: the clone to call, or -1. */
static long routed(const struct rw *w, size_t caller, size_t u, const char *path)
{
	const struct ol_layout *lay = w->lay;

	for (size_t i = 0; i < lay->nroute; i++) {
		const struct ol_route *r = &lay->route[i];

		if (r->caller != caller || r->callee != u)
			continue;
		if (path ? r->path == path : clone_of(w, caller, r->path) < 0)
			return clone_of(w, u, r->path);
	}
	return -1;
}

/*
 * Where target t goes, seen from code in unit src (or -1) as it is in copy
 * site (or -1: the unit where it stays). A clone reaches the clones of its
 * own function's units; branches follow the routes.
 */
static uint64_t map_ref(const struct rw *w, long site, long src, bool branch, uint64_t t)
{
	const struct ol_model *m = w->m;
	const char *path = site >= 0 ? w->cp[site].path : NULL;
	long u = ol_unit_at(m, t);
	long c = -1;

	if (u < 0) {
		long tb = path ? ol_table_at(m, t) : -1;

		for (size_t i = 0; tb >= 0 && i < w->ntc; i++)
			if (w->tc[i].tab == (size_t)tb && w->tc[i].copy == (size_t)site)
				return w->tc[i].addr + (t - m->tab[tb].addr);
		return home_of(w, t);
	}
	if (path && m->unit[u].func == m->unit[src].func)
		c = clone_of(w, (size_t)u, path);
	else if (branch && src >= 0)
		c = routed(w, m->unit[src].func, (size_t)u, path);
	if (c >= 0)
		return w->cp[c].addr + (t - m->unit[u].addr);
	return home_of(w, t);
}

static int64_t sym_delta(const struct rw *w, uint32_t sym)
{
	return (int64_t)(w->sym_new[sym] - w->elf->sym[sym].s.st_value);
}

/* The addend of a relocation whose target went from t to t2. */
static int64_t new_addend(const struct rw *w, const struct ol_rel *r, uint64_t t, uint64_t t2)
{
	if (ol_unit_at(w->m, t) < 0)	/* data: a GOT slot stays, a table copy moves */
		return r->addend + (int64_t)(t2 - t);
	return r->addend + (int64_t)(t2 - t) - sym_delta(w, r->sym);
}

static int put_field(struct rw *w, uint8_t *p, enum ol_field_kind kind, int size,
		     uint32_t type, uint64_t x, uint64_t t, uint64_t at)
{
	uint64_t v = kind == OL_FIELD_PCREL ? t - x : t;

	if (size == 4 && !ol_rel_fits(kind, type, v))
		return ol_fail(w->err, -ERANGE, "%s: 0x%llx: new target 0x%llx out of range",
			       w->elf->path, (unsigned long long)at, (unsigned long long)t);
	ol_put(p, size, v);
	return 0;
}

/* The bytes of output address a in the new text area, or in place. */
static uint8_t *out_ptr(struct rw *w, uint64_t a, uint64_t len)
{
	uint8_t *p = ol_out_area_ptr(w->out, a, len);

	return p ? p : ol_elf_ptr(w->elf, a, len);
}

/* The GOT slot a load through the GOT reads (kind/t: its field): in a
 * non-PIE executable no dynamic relocation fills it, its bytes are the
 * address, so a slot holding moved code's address gets the new one (in PIE
 * its RELATIVE addend is fixed with the others; the bytes agree). */
static void fix_got_slot(struct rw *w, const struct ol_rel *r, enum ol_field_kind kind,
			 uint64_t t)
{
	uint64_t s = ol_elf_sym_value(w->elf, r->sym);
	uint8_t *p = ol_elf_ptr(w->elf, t, 8);

	if (!ol_rel_got_load(r->type) || kind != OL_FIELD_PCREL || p == NULL ||
	    ol_unit_at(w->m, t) >= 0 || ol_get(p, 8) != s || home_of(w, s) == s)
		return;
	ol_put(p, 8, home_of(w, s));
	ol_out_dirty(w->out, ol_elf_sec_at(w->elf, t, 8));
}

/* Fix one code relocation in every version of its unit. */
static int fix_code_rel(struct rw *w, long u, const struct ol_insn *in, size_t ri)
{
	const struct ol_rel *r = &w->elf->rel[ri];
	enum ol_field_kind kind;
	int size;
	uint64_t t;
	long site = u >= 0 ? w->moved[u] : -1;
	long next = u >= 0 ? w->clones[u] : -1;
	bool placed = site >= 0 || next >= 0, constant;

	if (!ol_insn_field(in, r->off, &kind, &size, &t)) {
		if (placed)
			return ol_fail(w->err, -EINVAL,
				       "%s: relocation at 0x%llx does not match its instruction",
				       w->elf->path, (unsigned long long)r->off);
		return 0;	/* code that stays, with a field olayout does not patch */
	}
	w->done[ri] = 1;
	fix_got_slot(w, r, kind, t);
	/* a TLS offset, a size...: copied with the code as it is */
	constant = kind == OL_FIELD_ABS && !ol_rel_abs_addr(r->type);
	for (;;) {
		uint64_t base = site >= 0 ? w->cp[site].addr : (u >= 0 ? w->m->unit[u].addr : 0);
		uint64_t shift = u >= 0 ? base - w->m->unit[u].addr : 0;
		uint64_t p2 = r->off + shift, x2 = in->addr + in->size + shift;
		uint64_t t2 = constant ? t : map_ref(w, site, u, in->branch, t);
		int64_t a2 = constant ? r->addend : new_addend(w, r, t, t2);
		int rc;

		if (t2 != t || (shift != 0 && kind == OL_FIELD_PCREL)) {
			rc = put_field(w, out_ptr(w, p2, (uint64_t)size), kind, size, r->type, x2,
				       t2, r->off);
			if (rc)
				return rc;
		}
		if (site >= 0 && w->cp[site].path)
			rc = ol_out_add_rel(w->out, r->rsec, p2, r->type, r->sym, a2);
		else
			rc = ol_out_set_rel(w->out, r->rsec, r->idx, p2, a2);
		if (rc)
			return ol_fail(w->err, rc, "%s: out of memory", w->elf->path);
		if (next < 0)
			return 0;
		site = next;
		next = w->cp[next].next;
	}
}

static int fix_insn(void *arg, long u, const struct ol_insn *in, uint64_t bad,
		    size_t r0, size_t r1)
{
	struct rw *w = arg;

	(void)bad;
	if (in == NULL)
		return 0;
	for (size_t r = r0; r < r1; r++) {
		int rc = fix_code_rel(w, u, in, r);

		if (rc)
			return rc;
	}
	return 0;
}

/* The target of data relocation r (a table entry: its jump target). */
static uint64_t data_target(const struct rw *w, size_t ri, uint64_t *x)
{
	const struct ol_elf *elf = w->elf;
	const struct ol_rel *r = &elf->rel[ri];
	long tb = w->m->rel_tab[ri];
	const uint8_t *p;

	*x = r->off;
	if (tb >= 0) {
		const struct ol_table *t = &w->m->tab[tb];

		*x = t->addr;
		p = ol_elf_ptr(elf, r->off, t->esize);
		return t->esize == 8 ? ol_get(p, 8) : t->addr + (uint64_t)(int64_t)(int32_t)ol_get(p, 4);
	}
	return ol_elf_sym_value(elf, r->sym) + (uint64_t)r->addend;
}

static int fix_data_rel(struct rw *w, size_t ri)
{
	const struct ol_elf *elf = w->elf;
	const struct ol_rel *r = &elf->rel[ri];
	long tb = w->m->rel_tab[ri];
	bool in_eh = w->eh_size && r->off - w->eh_old < w->eh_size;
	enum ol_field_kind kind;
	int size, rc;
	uint64_t x, t, t2, p2 = in_eh ? r->off - w->eh_old + w->eh_new : r->off;

	if (!ol_rel_data_field(r->type, &kind, &size))
		return in_eh ? ol_out_set_rel(w->out, r->rsec, r->idx, p2, r->addend) : 0;
	if (ol_elf_ptr(elf, r->off, (uint64_t)size) == NULL)
		return 0;	/* in .bss or out of its section: nothing to patch */
	t = data_target(w, ri, &x);
	t2 = home_of(w, t);
	if (t2 != t && !in_eh) {
		rc = put_field(w, ol_elf_ptr(elf, r->off, (uint64_t)size), kind, size, r->type,
			       x, t2, r->off);
		if (rc)
			return rc;
		ol_out_dirty(w->out, r->tsec);
	}
	rc = ol_out_set_rel(w->out, r->rsec, r->idx, p2, new_addend(w, r, t, t2));
	/* the copies of a jump table, one per clone of the unit that reads it */
	for (size_t i = 0; rc == 0 && tb >= 0 && i < w->ntc; i++) {
		const struct tcopy *c = &w->tc[i];
		const struct ol_table *tab = &w->m->tab[tb];
		uint64_t pc = c->addr + (r->off - tab->addr);
		uint64_t tc2 = map_ref(w, (long)c->copy, (long)tab->unit, false, t);

		if (c->tab != (size_t)tb)
			continue;
		rc = put_field(w, ol_out_area_ptr(w->out, pc, (uint64_t)size), kind, size,
			       r->type, c->addr, tc2, r->off);
		if (rc == 0)
			rc = ol_out_add_rel(w->out, r->rsec, pc, r->type, r->sym,
					    new_addend(w, r, t, tc2));
	}
	return rc;
}

static int fix_relocs(struct rw *w)
{
	struct ol_dis d;
	int rc;

	if (ol_dis_open(&d) != 0)
		return ol_fail(w->err, -EINVAL, "Capstone does not start");
	rc = ol_walk(w->m, &d, fix_insn, w);
	ol_dis_close(&d);
	for (size_t ri = 0; rc == 0 && ri < w->elf->nrel; ri++) {
		const struct ol_rel *r = &w->elf->rel[ri];

		if (w->done[ri])
			continue;
		if (w->elf->sec[r->tsec].sh.sh_flags & SHF_EXECINSTR) {
			uint64_t t = ol_elf_sym_value(w->elf, r->sym) + (uint64_t)r->addend;
			long u = ol_unit_at(w->m, t + 4);

			if (u >= 0 && (w->moved[u] >= 0) && r->type != R_X86_64_NONE)
				rc = ol_fail(w->err, -EINVAL,
					     "%s: relocation at 0x%llx to moved code not understood",
					     w->elf->path, (unsigned long long)r->off);
			continue;
		}
		rc = fix_data_rel(w, ri);
	}
	return rc;
}

/* Plan: addresses of the copies and of the cloned tables. */
static int plan(struct rw *w)
{
	const struct ol_model *m = w->m;
	const struct ol_layout *lay = w->lay;
	uint64_t at, max_align = 64;
	size_t rod = 0;
	int rc;

	w->cp = calloc(lay->nplace ? lay->nplace : 1, sizeof *w->cp);
	w->home = malloc(m->nunit * sizeof *w->home + 1);
	w->moved = malloc(m->nunit * sizeof *w->moved + 1);
	w->clones = malloc(m->nunit * sizeof *w->clones + 1);
	if (!w->cp || !w->home || !w->moved || !w->clones)
		return ol_fail(w->err, -ENOMEM, "out of memory");
	for (size_t u = 0; u < m->nunit; u++) {
		w->home[u] = m->unit[u].addr;
		w->moved[u] = w->clones[u] = -1;
	}
	for (size_t i = 0; i < lay->nplace; i++)
		if (lay->place[i].align > max_align)
			max_align = lay->place[i].align;
	at = ol_out_text_start(w->out, max_align);
	for (size_t i = 0; i < lay->nplace; i++) {
		const struct ol_place *p = &lay->place[i];
		struct copy *c = &w->cp[w->ncp];

		at = (at + p->align - 1) & ~(p->align - 1);
		*c = (struct copy){ p->unit, p->path, at, -1 };
		if (p->path) {
			long *link = &w->clones[p->unit];

			while (*link >= 0)
				link = &w->cp[*link].next;
			*link = (long)w->ncp;
		} else {
			w->moved[p->unit] = (long)w->ncp;
			w->home[p->unit] = at;
		}
		w->ncp++;
		at += m->unit[p->unit].size + p->pad;
	}
	rc = ol_out_set_text(w->out, at);
	if (rc)
		return rc;
	/* every clone copies the jump tables its unit reads */
	for (size_t i = 0; i < w->ncp; i++)
		for (size_t t = 0; w->cp[i].path && t < m->ntab; t++)
			if (m->tab[t].unit == w->cp[i].unit)
				rod++;
	w->tc = calloc(rod ? rod : 1, sizeof *w->tc);
	if (w->tc == NULL)
		return ol_fail(w->err, -ENOMEM, "out of memory");
	at = 0;
	for (size_t i = 0; i < w->ncp; i++)
		for (size_t t = 0; w->cp[i].path && t < m->ntab; t++)
			if (m->tab[t].unit == w->cp[i].unit) {
				w->tc[w->ntc++] = (struct tcopy){ t, i, at };
				at += (uint64_t)m->tab[t].n * m->tab[t].esize;
			}
	rc = ol_out_set_rodata(w->out, at);
	for (size_t i = 0; rc == 0 && i < w->ntc; i++)
		w->tc[i].addr += ol_out_rodata_start(w->out);
	return rc;
}

/* Code addresses inside a cloned unit held in data that is no jump table
 * (label tables of a computed goto in PIE code, say) still lead to the
 * original: the program stays right, but such a path leaves its clone. */
static void warn_escapes(const struct rw *w)
{
	const struct ol_elf *elf = w->elf;
	long last = -1;

	for (size_t r = 0; r < elf->nrel; r++) {
		const struct ol_rel *rl = &elf->rel[r];
		uint64_t t = ol_elf_sym_value(elf, rl->sym) + (uint64_t)rl->addend;
		long u = ol_unit_at(w->m, t);

		if (u < 0 || u == last || w->clones[u] < 0 || t == w->m->unit[u].addr ||
		    w->m->rel_tab[r] >= 0 || (elf->sec[rl->tsec].sh.sh_flags & SHF_EXECINSTR) ||
		    !ol_rel_abs_addr(rl->type))
			continue;
		last = u;
		ol_warn("%s: data at 0x%llx points inside %s: its clones reach the original there",
			elf->path, (unsigned long long)rl->off, w->m->unit[u].name);
	}
}

static int copy_code(struct rw *w)
{
	for (size_t i = 0; i < w->ncp; i++) {
		const struct ol_unit *u = &w->m->unit[w->cp[i].unit];
		const uint8_t *src = ol_elf_ptr(w->elf, u->addr, u->size);
		uint8_t *dst = ol_out_area_ptr(w->out, w->cp[i].addr, u->size);

		if (src == NULL || dst == NULL)
			return ol_fail(w->err, -EINVAL, "%s: %s: bytes out of the file",
				       w->elf->path, u->name);
		memcpy(dst, src, u->size);
	}
	return 0;
}

/* New values of the symbols (a symbol inside a moved unit moves with it). */
static int plan_symbols(struct rw *w)
{
	const struct ol_elf *elf = w->elf;

	w->sym_new = malloc((elf->nsym + 1) * sizeof *w->sym_new);
	if (w->sym_new == NULL)
		return ol_fail(w->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < elf->nsym; i++) {
		const GElf_Sym *s = &elf->sym[i].s;
		int type = GELF_ST_TYPE(s->st_info);
		long u = ol_unit_at(w->m, s->st_value);

		w->sym_new[i] = s->st_value;
		if (type != STT_SECTION && type != STT_FILE && s->st_shndx != SHN_UNDEF &&
		    s->st_shndx < elf->nsec && (elf->sec[s->st_shndx].sh.sh_flags & SHF_EXECINSTR) &&
		    u >= 0 && w->moved[u] >= 0)
			w->sym_new[i] = home_of(w, s->st_value);
	}
	return 0;
}

/* Copies of the FDEs of every placed clone (the model pinned units whose
 * FDEs cover other code, so a placed unit's FDEs are its own). */
static int clone_fdes(struct rw *w, const struct ol_eh *eh, struct ol_eh_copy **copies,
		      size_t *ncopy)
{
	struct ol_eh_copy *c = NULL;
	size_t cap = 0, n = 0, none = 0, first, k;
	int rc = 0;

	for (size_t i = 0; i < w->ncp; i++) {
		const struct ol_unit *u = &w->m->unit[w->cp[i].unit];

		k = ol_eh_fdes_in(eh, u->addr, u->addr + u->size, &first);
		cap += w->cp[i].path ? k : 0;
		none += k == 0 && ol_eh_fde_at(eh, u->addr) < 0;
	}
	if (none)
		ol_warn("%s: %zu placed units have no FDE (an input without unwind tables?): "
			"olayout verify reports them", w->elf->path, none);
	c = rc == 0 ? calloc(cap + 1, sizeof *c) : NULL;
	if (rc == 0 && c == NULL)
		rc = ol_fail(w->err, -ENOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < w->ncp; i++) {
		const struct ol_unit *u = &w->m->unit[w->cp[i].unit];

		k = w->cp[i].path ? ol_eh_fdes_in(eh, u->addr, u->addr + u->size, &first) : 0;
		for (size_t j = 0; j < k; j++) {
			size_t f = eh->by_pc[first + j];

			c[n++] = (struct ol_eh_copy){ (long)f,
						      w->cp[i].addr + (eh->fde[f].pc_begin - u->addr) };
		}
	}
	*copies = c;
	*ncopy = n;
	return rc;
}

/* .eh_frame and .eh_frame_hdr, rebuilt in the new area. */
static int rebuild_eh(struct rw *w)
{
	struct ol_elf *elf = w->elf;
	size_t s = ol_elf_find(elf, ".eh_frame");
	struct ol_eh eh, neh;
	struct ol_eh_copy *copies = NULL;
	uint64_t *off = NULL;
	uint8_t *frame = NULL, *hdr = NULL;
	size_t ncopy = 0, flen = 0, hlen = 0;
	int rc;

	if (s == 0 || elf->sec[s].data == NULL)
		return 0;
	rc = ol_eh_parse(&eh, elf->sec[s].data->d_buf, elf->sec[s].sh.sh_size,
			 elf->sec[s].sh.sh_addr, elf->path, w->err);
	if (rc)
		return rc;
	rc = clone_fdes(w, &eh, &copies, &ncopy);
	off = calloc(ncopy + 1, sizeof *off);
	if (rc == 0 && off == NULL)
		rc = ol_fail(w->err, -ENOMEM, "out of memory");
	if (rc == 0) {
		size_t len = eh.size;

		for (size_t i = 0; i < ncopy; i++)
			len += eh.fde[copies[i].fde].len;
		w->eh_old = eh.addr;
		w->eh_size = eh.size;
		w->eh_new = ol_out_place_eh(w->out, len,
					    ol_elf_find(elf, ".eh_frame_hdr") ? 12 + 8 * (eh.nfde + ncopy) : 0);
		rc = ol_eh_build(&eh, w->eh_new, home_cb, w, copies, ncopy, off, &frame, &flen,
				 w->err);
	}
	/* relocations of the copied FDEs' pc_begin, from the original's */
	for (size_t i = 0; rc == 0 && i < ncopy; i++) {
		const struct ol_fde *f = &eh.fde[copies[i].fde];
		uint64_t field = eh.ptr[f->ptr].off;
		long r = ol_elf_rel_at(elf, eh.addr + field);

		if (r >= 0)
			rc = ol_out_add_rel(w->out, elf->rel[r].rsec,
					    w->eh_new + off[i] + (field - f->off), elf->rel[r].type,
					    elf->rel[r].sym,
					    (int64_t)(copies[i].pc - w->sym_new[elf->rel[r].sym]));
	}
	if (rc == 0)
		rc = ol_eh_parse(&neh, frame, flen, w->eh_new, "new .eh_frame", w->err);
	if (rc == 0) {
		if (ol_elf_find(elf, ".eh_frame_hdr"))
			rc = ol_eh_hdr(&neh, ol_out_hdr_addr(w->out), &hdr, &hlen, w->err);
		ol_eh_free(&neh);
	}
	if (rc == 0)
		rc = ol_out_set_eh(w->out, frame, flen, hdr, hlen);
	else {
		free(frame);
		free(hdr);
	}
	ol_eh_free(&eh);
	free(copies);
	free(off);
	return rc;
}

static int add_clone_symbols(struct rw *w)
{
	for (size_t i = 0; i < w->ncp; i++) {
		const struct copy *c = &w->cp[i];
		const struct ol_unit *u = &w->m->unit[c->unit];
		char name[1024];
		int rc;

		if (c->path == NULL)
			continue;
		snprintf(name, sizeof name, "%s.clone.%s", u->name, c->path);
		rc = ol_out_add_sym(w->out, name, c->addr, u->size);
		if (rc == 0)
			rc = ol_out_add_clone(w->out, home_of(w, u->addr), c->addr, c->path, name);
		if (rc)
			return ol_fail(w->err, rc, "out of memory");
	}
	return 0;
}

static int fill_old(struct rw *w)
{
	for (size_t u = 0; u < w->m->nunit; u++) {
		uint8_t *p;

		if (w->moved[u] < 0)
			continue;
		p = ol_elf_ptr(w->elf, w->m->unit[u].addr, w->m->unit[u].size);
		memset(p, 0xcc, w->m->unit[u].size);
		ol_out_dirty(w->out, w->m->unit[u].sec);
	}
	return 0;
}

/* Clones get symbols and FDEs but no DWARF: say so (once) for a -g input. */
static void warn_clone_dwarf(const struct rw *w)
{
	if (ol_elf_find(w->elf, ".debug_info") == 0)
		return;
	for (size_t i = 0; i < w->lay->nplace; i++)
		if (w->lay->place[i].path) {
			ol_warn("%s: clones have no DWARF: debuggers and addr2line name them from "
				"the symbol table, without file:line", w->elf->path);
			return;
		}
}

static int run(struct rw *w, const char *layout, FILE *stream)
{
	int rc;

	rc = stream ? ol_layout_read_from(w->lay, layout, stream, w->m, w->skip_unmovable, w->err)
		    : ol_layout_read(w->lay, layout, w->m, w->skip_unmovable, w->err);
	if (rc == 0)
		rc = ol_out_begin(w->out, w->elf, w->err);
	if (rc == 0)
		rc = plan(w);
	if (rc == 0) {
		warn_escapes(w);
		rc = plan_symbols(w);
	}
	if (rc == 0)
		rc = copy_code(w);
	if (rc == 0)
		rc = rebuild_eh(w);
	if (rc == 0) {
		w->done = calloc(w->elf->nrel + 1, 1);
		rc = w->done ? fix_relocs(w) : ol_fail(w->err, -ENOMEM, "out of memory");
	}
	if (rc == 0)
		rc = add_clone_symbols(w);
	if (rc == 0)
		rc = ol_out_fix_meta(w->out, home_cb, w, w->sym_new);
	if (rc == 0)
		rc = fill_old(w);
	if (rc == 0)
		rc = ol_out_write(w->out);
	if (rc == 0)
		warn_clone_dwarf(w);
	return rc;
}

int ol_rewrite(const char *exe, const char *layout, const char *out,
	       const struct ol_rewrite_opts *opts, struct ol_err *err)
{
	struct ol_exe x;
	struct ol_layout lay;
	struct ol_out *o = NULL;
	struct rw w = { .elf = &x.elf, .m = &x.m, .lay = &lay, .err = err,
			.skip_unmovable = opts && opts->skip_unmovable };
	struct ol_tmp t;
	FILE *stream = opts ? opts->stream : NULL;
	int fd, rc;

	memset(&lay, 0, sizeof lay);
	fd = ol_tmp_open(&t, out, err);
	if (fd < 0)
		return fd;
	rc = ol_exe_open_copy(&x, exe, fd, err);
	if (rc == 0 && opts && opts->plan)
		rc = opts->plan(opts->plan_arg, &x.m, &stream, err);
	if (rc == 0) {
		o = ol_out_new();
		w.out = o;
		rc = o ? run(&w, layout, stream) : ol_fail(err, -ENOMEM, "out of memory");
	}
	ol_out_free(o);
	ol_layout_free(&lay);
	ol_exe_close(&x);
	free(w.cp);
	free(w.home);
	free(w.moved);
	free(w.clones);
	free(w.tc);
	free(w.sym_new);
	free(w.done);
	if (rc == 0)
		rc = ol_buildid_renew(fd, out, err);
	if (rc == 0 && (fchmod(fd, x.mode) != 0 || fsync(fd) != 0))
		rc = ol_fail(err, -errno, "%s: %s", t.tmp, strerror(errno));
	if (close(fd) != 0 && rc == 0)
		rc = ol_fail(err, -EIO, "%s: write error", t.tmp);
	if (rc == 0 && opts && opts->verify)
		rc = ol_cmd_verify(t.tmp, err);
	if (rc == 0)
		return ol_tmp_commit(&t, err);
	ol_tmp_discard(&t);
	return rc;
}
