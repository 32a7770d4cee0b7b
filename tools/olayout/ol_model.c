/* ol_model.c - units, jump tables and movability (see ol_model.h). */
#include "ol_model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ol_eh.h"
#include "ol_util.h"

static void pin(struct ol_model *m, long u, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void pin(struct ol_model *m, long u, const char *fmt, ...)
{
	va_list ap;

	if (u < 0 || m->unit[u].why[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(m->unit[u].why, sizeof m->unit[u].why, fmt, ap);
	va_end(ap);
}

struct cand {
	size_t sym;
	uint64_t addr, size;
};

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;	/* the larger first */
	return x->sym < y->sym ? -1 : x->sym > y->sym;
}

static int name_cmp(const void *a, const void *b)
{
	const struct ol_name *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static bool is_code_sym(const struct ol_elf *elf, const GElf_Sym *s)
{
	const GElf_Shdr *sh;

	if (GELF_ST_TYPE(s->st_info) != STT_FUNC || s->st_size == 0 ||
	    s->st_shndx == SHN_UNDEF || s->st_shndx >= elf->nsec)
		return false;
	sh = &elf->sec[s->st_shndx].sh;
	return (sh->sh_flags & SHF_ALLOC) && (sh->sh_flags & SHF_EXECINSTR) &&
	       elf->sec[s->st_shndx].data != NULL && s->st_value >= sh->sh_addr &&
	       s->st_size <= sh->sh_size && s->st_value - sh->sh_addr <= sh->sh_size - s->st_size;
}

/* The function name a fragment "x.cold" or "x.cold.N" belongs to, in buf. */
static bool frag_parent(const char *name, char *buf, size_t len)
{
	const char *c = strstr(name, ".cold");
	const char *t;

	if (c == NULL || c == name)
		return false;
	t = c + 5;
	if (*t == '.') {
		t++;
		if (*t == '\0')
			return false;
		while (*t >= '0' && *t <= '9')
			t++;
	}
	if (*t != '\0' || (size_t)(c - name) >= len)
		return false;
	memcpy(buf, name, (size_t)(c - name));
	buf[c - name] = '\0';
	return true;
}

struct name_key {
	const struct ol_model *m;
	const char *name;
};

static bool name_before(const void *arg, size_t i)
{
	const struct name_key *k = arg;

	return strcmp(k->m->names[i].name, k->name) < 0;
}

size_t ol_model_first_name(const struct ol_model *m, const char *name)
{
	struct name_key k = { m, name };

	return ol_lower_bound(m->nname, name_before, &k);
}

/* Prefer a unit of the same file (for local names). */
static long named_near(const struct ol_model *m, const char *name, const char *file)
{
	const struct ol_name *hit = &m->names[ol_model_first_name(m, name)];
	long best = -1;

	for (; hit < m->names + m->nname && strcmp(hit->name, name) == 0; hit++) {
		if (file && hit->file && strcmp(file, hit->file) == 0)
			return (long)hit->unit;
		if (best < 0 || hit->file == NULL)
			best = (long)hit->unit;
	}
	return best;
}

/* collect_units: one unit per code symbol (aliases and symbols inside
 * another merge into one), in address order; every symbol into m->names. */
static int collect_units(struct ol_model *m, struct ol_err *err)
{
	struct ol_elf *elf = m->elf;
	struct cand *c = calloc(elf->nsym ? elf->nsym : 1, sizeof *c);
	size_t nc = 0;

	m->unit = calloc(elf->nsym ? elf->nsym : 1, sizeof *m->unit);
	m->names = calloc(elf->nsym ? elf->nsym : 1, sizeof *m->names);
	if (c == NULL || m->unit == NULL || m->names == NULL) {
		free(c);
		return ol_fail(err, -ENOMEM, "%s: out of memory", elf->path);
	}
	for (size_t i = 0; i < elf->nsym; i++)
		if (is_code_sym(elf, &elf->sym[i].s))
			c[nc++] = (struct cand){ i, elf->sym[i].s.st_value, elf->sym[i].s.st_size };
	qsort(c, nc, sizeof *c, cand_cmp);
	for (size_t i = 0; i < nc; i++) {
		const struct ol_sym *y = &elf->sym[c[i].sym];
		struct ol_unit *last = m->nunit ? &m->unit[m->nunit - 1] : NULL;

		if (last && c[i].addr < last->addr + last->size) {
			/* an alias, or a symbol inside another: one unit */
			if (c[i].addr != last->addr || c[i].size != last->size) {
				if (c[i].addr + c[i].size > last->addr + last->size)
					last->size = c[i].addr + c[i].size - last->addr;
				pin(m, (long)m->nunit - 1, "symbols %s and %s overlap",
				    last->name, y->name);
			}
		} else {
			last = &m->unit[m->nunit++];
			last->name = y->name;
			last->file = y->file;
			last->addr = c[i].addr;
			last->size = c[i].size;
			last->sec = y->s.st_shndx;
			last->func = m->nunit - 1;
			last->orig = -1;
		}
		m->names[m->nname++] = (struct ol_name){ y->name, y->file, m->nunit - 1 };
	}
	free(c);
	qsort(m->names, m->nname, sizeof *m->names, name_cmp);
	return 0;
}

/* link_unit: a clone of an earlier rewrite to its original, a .cold
 * fragment (or its clone) to its function (or that function's clone). */
static void link_unit(struct ol_model *m, size_t u, bool clones)
{
	struct ol_unit *un = &m->unit[u];
	char buf[512];
	const char *cl = clones ? strstr(un->name, ".clone.") : NULL;
	long p;

	if (cl && cl != un->name && (size_t)(cl - un->name) < sizeof buf) {
		memcpy(buf, un->name, (size_t)(cl - un->name));
		buf[cl - un->name] = '\0';
		un->orig = named_near(m, buf, un->file);
		un->path = cl + 7;
		if (un->orig < 0)
			un->path = NULL;
	}
	if (frag_parent(un->orig >= 0 ? m->unit[un->orig].name : un->name,
			buf, sizeof buf)) {
		p = named_near(m, buf, un->file);
		if (p >= 0 && un->path) {
			/* the clone of a fragment belongs to its parent's clone */
			char cb[600];
			long pc;

			snprintf(cb, sizeof cb, "%s.clone.%s", buf, un->path);
			pc = named_near(m, cb, NULL);
			if (pc >= 0)
				p = pc;
		}
		if (p >= 0 && (size_t)p != u) {
			un->frag = true;
			un->func = (size_t)p;
		}
	}
}

static void link_units(struct ol_model *m)
{
	bool clones = ol_elf_find(m->elf, ".olayout.clones") != 0;

	for (size_t u = 0; u < m->nunit; u++)
		link_unit(m, u, clones);
	/* a fragment's parent may itself be a fragment's name: resolve once */
	for (size_t u = 0; u < m->nunit; u++)
		if (m->unit[m->unit[u].func].frag)
			m->unit[u].func = m->unit[m->unit[u].func].func;
}

/* pin_outside_text: code in .init, .plt and the like stays. */
static void pin_outside_text(struct ol_model *m)
{
	const struct ol_elf *elf = m->elf;

	for (size_t u = 0; u < m->nunit; u++) {
		const struct ol_sec *s = &elf->sec[m->unit[u].sec];

		if ((!(s->sh.sh_flags & SHF_EXECINSTR) || strncmp(s->name, ".text", 5) != 0) &&
		    strcmp(s->name, ".olayout.text") != 0)
			pin(m, (long)u, "in section %s, not .text", s->name);
	}
}

struct va_key {
	const struct ol_model *m;
	uint64_t va;
};

static bool unit_ends_before(const void *arg, size_t i)
{
	const struct va_key *k = arg;

	return k->m->unit[i].addr + k->m->unit[i].size <= k->va;
}

static bool unit_starts_before(const void *arg, size_t i)
{
	const struct va_key *k = arg;

	return k->m->unit[i].addr < k->va;
}

static bool table_ends_before(const void *arg, size_t i)
{
	const struct va_key *k = arg;
	const struct ol_table *t = &k->m->tab[i];

	return t->addr + (uint64_t)t->n * t->esize <= k->va;
}

long ol_unit_at(const struct ol_model *m, uint64_t va)
{
	struct va_key k = { m, va };
	size_t i = ol_lower_bound(m->nunit, unit_ends_before, &k);

	return i < m->nunit && m->unit[i].addr <= va ? (long)i : -1;
}

long ol_unit_named(const struct ol_model *m, const char *name)
{
	char buf[512];
	const char *at = strchr(name, '@');
	const char *file = NULL;
	const struct ol_name *hit;
	long global = -1, local = -1;
	bool locals = false;

	if (at) {
		if ((size_t)(at - name) >= sizeof buf)
			return -1;
		memcpy(buf, name, (size_t)(at - name));
		buf[at - name] = '\0';
		file = at + 1;
		name = buf;
	}
	for (hit = &m->names[ol_model_first_name(m, name)]; hit < m->names + m->nname &&
	     strcmp(hit->name, name) == 0; hit++) {
		if (hit->file == NULL) {	/* a global (or weak) symbol */
			if (!file)
				global = (long)hit->unit;
			continue;
		}
		if (file && strcmp(hit->file, file) != 0)
			continue;
		if (local >= 0 && (size_t)local != hit->unit)
			locals = true;	/* statics of several files (or one file twice) */
		local = (long)hit->unit;
	}
	if (global >= 0)
		return global;
	return locals ? -2 : local;
}

long ol_table_at(const struct ol_model *m, uint64_t va)
{
	struct va_key k = { m, va };
	size_t i = ol_lower_bound(m->ntab, table_ends_before, &k);

	return i < m->ntab && m->tab[i].addr <= va ? (long)i : -1;
}

/* The most bytes an x86 instruction has: all Capstone may read for one. */
#define INSN_MAX 15

/* same_again: whether the 1-byte instruction just decoded at at - 1 is
 * what Capstone would decode at at: the bytes it may read there repeat
 * (the int3 filling where moved code was, megabytes of it after a large
 * rewrite), and a 1-byte instruction has no field that depends on its
 * address. Its answer is reused: the same question is not asked again. */
static bool same_again(const struct ol_insn *last, const uint8_t *p, uint64_t at, uint64_t a,
		       uint64_t end)
{
	return last->size == 1 && last->addr + 1 == at && at > a && end - at >= INSN_MAX &&
	       memcmp(p, p - 1, INSN_MAX) == 0;
}

static int walk_range(const struct ol_model *m, struct ol_dis *d, long u,
		      uint64_t a, uint64_t end, ol_walk_fn fn, void *arg)
{
	const struct ol_elf *elf = m->elf;
	const uint8_t *code = ol_elf_ptr(elf, a, end - a);
	size_t r = ol_elf_rel_from(elf, a);
	bool reported = false;
	uint64_t at = a;
	struct ol_insn in = { 0 };
	int rc;

	if (code == NULL)
		return 0;
	while (at < end) {
		size_t r1;

		if (same_again(&in, code + (at - a), at, a, end)) {
			in.addr = at;
		} else if (ol_dis_one(d, code + (at - a), end - at, at, &in) != 0) {
			in.size = 0;
			if (!reported && u >= 0) {
				reported = true;
				rc = fn(arg, u, NULL, at, 0, 0);
				if (rc)
					return rc;
			}
			at++;
			continue;
		}
		while (r < elf->nrel && elf->rel[r].off < at)
			r++;
		r1 = r;
		while (r1 < elf->nrel && elf->rel[r1].off < at + in.size)
			r1++;
		rc = fn(arg, u, &in, 0, r, r1);
		if (rc)
			return rc;
		at += in.size;
	}
	return 0;
}

int ol_walk_unit(const struct ol_model *m, struct ol_dis *d, size_t u,
		 ol_walk_fn fn, void *arg)
{
	return walk_range(m, d, (long)u, m->unit[u].addr,
			  m->unit[u].addr + m->unit[u].size, fn, arg);
}

int ol_walk(const struct ol_model *m, struct ol_dis *d, ol_walk_fn fn, void *arg)
{
	const struct ol_elf *elf = m->elf;
	int rc;

	for (size_t s = 1; s < elf->nsec; s++) {
		const GElf_Shdr *sh = &elf->sec[s].sh;
		uint64_t at = sh->sh_addr, end = sh->sh_addr + sh->sh_size;
		struct va_key k = { m, at };
		long u;

		if (!(sh->sh_flags & SHF_ALLOC) || !(sh->sh_flags & SHF_EXECINSTR) ||
		    elf->sec[s].data == NULL)
			continue;
		u = ol_unit_at(m, at);
		if (u < 0)	/* the first unit at or after at */
			u = (long)ol_lower_bound(m->nunit, unit_starts_before, &k);
		while (at < end) {
			uint64_t next = end;

			if ((size_t)u < m->nunit && m->unit[u].addr < end)
				next = m->unit[u].addr;
			if (at < next) {
				rc = walk_range(m, d, -1, at, next, fn, arg);
				if (rc)
					return rc;
			}
			if (next == end)
				break;
			rc = ol_walk_unit(m, d, (size_t)u, fn, arg);
			if (rc)
				return rc;
			at = m->unit[u].addr + m->unit[u].size;
			u++;
		}
	}
	return 0;
}

/* Analysis: what may not move, and where the jump tables are. */
struct scan {
	struct ol_model *m;
	size_t ncand, cap;
	struct ol_table *cand;
};

static bool has_rel(const struct ol_elf *elf, size_t r0, size_t r1, uint64_t va)
{
	for (size_t r = r0; r < r1; r++)
		if (elf->rel[r].off == va)
			return true;
	return false;
}

static int add_cand(struct scan *s, size_t u, uint64_t addr, uint8_t esize)
{
	if (ol_grow((void **)&s->cand, &s->cap, s->ncand + 1, sizeof *s->cand))
		return -ENOMEM;
	s->cand[s->ncand++] = (struct ol_table){ .addr = addr, .esize = esize, .unit = u };
	return 0;
}

static int scan_insn(void *arg, long u, const struct ol_insn *in, uint64_t bad,
		     size_t r0, size_t r1)
{
	struct scan *s = arg;
	struct ol_model *m = s->m;
	const struct ol_elf *elf = m->elf;
	uint64_t lo = u >= 0 ? m->unit[u].addr : 0, hi = u >= 0 ? lo + m->unit[u].size : 0;
	uint64_t t = 0, field = 0;
	bool ref = false;

	if (in == NULL) {
		if (u >= 0)
			m->unit[u].opaque = true;
		pin(m, u, "bytes at 0x%llx do not decode (data in code?)",
		    (unsigned long long)bad);
		return 0;
	}
	if (in->unknown)
		pin(m, u, "instruction at 0x%llx unknown to Capstone 4 (olayout only measured it)",
		    (unsigned long long)in->addr);
	if (in->branch) {
		ref = true;
		t = in->target;
		/* a rel8 branch has no field a relocation could patch */
		field = in->imm_size == 4 ? in->addr + in->imm_off : 0;
	} else if (in->disp_kind == OL_FIELD_PCREL) {
		ref = true;
		t = in->disp_target;
		field = in->addr + in->disp_off;
	}
	if (ref && (u < 0 || t < lo || t >= hi) &&
	    (field == 0 || !has_rel(elf, r0, r1, field))) {
		pin(m, u, "reference at 0x%llx to 0x%llx has no relocation (built without -ffunction-sections?)",
		    (unsigned long long)in->addr, (unsigned long long)t);
		pin(m, ol_unit_at(m, t), "referenced without relocation from 0x%llx",
		    (unsigned long long)in->addr);
	}
	if (u < 0)
		return 0;
	for (size_t r = r0; r < r1; r++) {
		enum ol_field_kind k;
		int size;
		uint64_t tt;

		if (!ol_insn_field(in, elf->rel[r].off, &k, &size, &tt) &&
		    !ol_rel_indirect(elf->rel[r].type))
			pin(m, u, "relocation at 0x%llx matches no field of its instruction",
			    (unsigned long long)elf->rel[r].off);
	}
	/* jump table candidates */
	if (in->disp_kind == OL_FIELD_PCREL && !ol_elf_is_code(elf, in->disp_target)) {
		long r = ol_elf_rel_at(elf, in->disp_target);

		if (r >= 0 && elf->rel[r].type == R_X86_64_PC32)
			return add_cand(s, (size_t)u, in->disp_target, 4);
	}
	if (in->disp_kind == OL_FIELD_ABS && in->table_mem) {
		long r = ol_elf_rel_at(elf, in->disp_target);

		if (r >= 0 && elf->rel[r].type == R_X86_64_64)
			return add_cand(s, (size_t)u, in->disp_target, 8);
	}
	return 0;
}

static int tab_cmp(const void *a, const void *b)
{
	const struct ol_table *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static bool in_unit(const struct ol_model *m, size_t u, uint64_t va)
{
	return va >= m->unit[u].addr && va - m->unit[u].addr < m->unit[u].size;
}

/* The target of table entry k of t, if it is one; *rel: entry k - 1's
 * relocation on the way in (k > 0), whose successor is usually entry k's. */
static bool table_entry(const struct ol_model *m, const struct ol_table *t,
			uint32_t k, size_t *rel, uint64_t *target)
{
	const struct ol_elf *elf = m->elf;
	uint64_t at = t->addr + (uint64_t)k * t->esize;
	/* the relocations are sorted: the one after entry k - 1's, at at, is
	 * the first at at */
	long r = k > 0 && *rel + 1 < elf->nrel && elf->rel[*rel + 1].off == at ?
		 (long)*rel + 1 : ol_elf_rel_at(elf, at);
	const uint8_t *p;
	long tu;

	if (r < 0 || m->rel_tab[r] >= 0 ||
	    elf->rel[r].type != (t->esize == 8 ? R_X86_64_64 : R_X86_64_PC32))
		return false;
	p = ol_elf_ptr(elf, at, t->esize);
	if (p == NULL)
		return false;
	*target = t->esize == 8 ? ol_get(p, 8) :
		  t->addr + (uint64_t)(int64_t)(int32_t)ol_get(p, 4);
	/* most entries lead into the unit that reads the table: no search */
	tu = in_unit(m, t->unit, *target) ? (long)t->unit : ol_unit_at(m, *target);
	*rel = (size_t)r;
	return tu >= 0 && m->unit[tu].func == m->unit[t->unit].func;
}

/* Data pointing into code that olayout cannot redo keeps that code still:
 * PC-relative data that is no jump table entry and no .eh_frame record
 * (olayout cannot tell what it is relative to), and relocation types other
 * than the absolute 64/32/32S ones. */
static void pin_data_refs(struct ol_model *m)
{
	const struct ol_elf *elf = m->elf;
	size_t eh = ol_elf_find(elf, ".eh_frame");

	for (size_t r = 0; r < elf->nrel; r++) {
		const struct ol_rel *rl = &elf->rel[r];
		uint64_t t = ol_elf_sym_value(elf, rl->sym) + (uint64_t)rl->addend;
		enum ol_field_kind kind;
		int size;
		long tu;

		if (m->rel_tab[r] >= 0 || (elf->sec[rl->tsec].sh.sh_flags & SHF_EXECINSTR) ||
		    rl->tsec == eh || ol_rel_constant(rl->type) ||
		    (ol_rel_data_field(rl->type, &kind, &size) && kind == OL_FIELD_ABS))
			continue;
		tu = ol_unit_at(m, t);
		if (tu >= 0 && rl->type == R_X86_64_PC32)
			pin(m, (long)m->unit[tu].func,
			    "PC-relative data at 0x%llx that is no jump table olayout understands",
			    (unsigned long long)rl->off);
		else if (tu >= 0)
			pin(m, (long)m->unit[tu].func,
			    "data at 0x%llx refers to it with relocation type %u",
			    (unsigned long long)rl->off, rl->type);
	}
}

static int find_tables(struct ol_model *m, struct scan *s)
{
	m->tab = calloc(s->ncand ? s->ncand : 1, sizeof *m->tab);
	if (m->tab == NULL)
		return -ENOMEM;
	if (s->ncand)	/* cand is NULL when no code reads a table */
		qsort(s->cand, s->ncand, sizeof *s->cand, tab_cmp);
	for (size_t i = 0; i < s->ncand; i++) {
		struct ol_table t = s->cand[i];
		size_t rel = 0;
		uint64_t target;

		uint64_t limit = UINT64_MAX;

		/* a table ends where the next one read by code begins */
		for (size_t k = i + 1; k < s->ncand && limit == UINT64_MAX; k++)
			if (s->cand[k].addr > t.addr)
				limit = s->cand[k].addr;
		if (m->ntab && ol_table_at(m, t.addr) >= 0)
			continue;
		while (t.addr + (uint64_t)(t.n + 1) * t.esize <= limit &&
		       table_entry(m, &t, t.n, &rel, &target)) {
			if (t.n == 0)
				t.rel = rel;
			m->rel_tab[rel] = (long)m->ntab;
			t.n++;
		}
		if (t.n > 0)
			m->tab[m->ntab++] = t;
	}
	pin_data_refs(m);
	return 0;
}

/* The FDEs of a unit must describe only it, to move with it: one may start
 * at its start, others inside it (glibc's __clone has three), but an FDE
 * starting before it or running past its end covers other code too. An
 * .eh_frame that does not parse pins nothing here: rewrite reports it. */
static void pin_fde_spans(struct ol_model *m)
{
	const struct ol_elf *elf = m->elf;
	size_t s = ol_elf_find(elf, ".eh_frame");
	struct ol_err quiet = { { 0 } };
	struct ol_eh eh;

	if (s == 0 || elf->sec[s].data == NULL ||
	    ol_eh_parse(&eh, elf->sec[s].data->d_buf, elf->sec[s].sh.sh_size,
			elf->sec[s].sh.sh_addr, elf->path, &quiet) != 0)
		return;
	for (size_t u = 0; u < m->nunit; u++) {
		const struct ol_unit *un = &m->unit[u];
		long f = ol_eh_fde_at(&eh, un->addr);
		size_t first, n = ol_eh_fdes_in(&eh, un->addr, un->addr + un->size, &first);

		for (size_t j = 0; j < n; j++) {
			const struct ol_fde *fd = &eh.fde[eh.by_pc[first + j]];

			if (fd->pc_range > un->addr + un->size - fd->pc_begin)
				f = (long)eh.by_pc[first + j];
		}
		if (f >= 0 && (eh.fde[f].pc_begin < un->addr ||
			       eh.fde[f].pc_range > un->addr + un->size - eh.fde[f].pc_begin))
			pin(m, (long)u, "its FDE (0x%llx-0x%llx) covers other code",
			    (unsigned long long)eh.fde[f].pc_begin,
			    (unsigned long long)(eh.fde[f].pc_begin + eh.fde[f].pc_range));
	}
	ol_eh_free(&eh);
}

int ol_model_build(struct ol_model *m, struct ol_elf *elf, struct ol_err *err)
{
	struct scan s = { .m = m };
	struct ol_dis d;
	int rc;

	memset(m, 0, sizeof *m);
	m->elf = elf;
	rc = collect_units(m, err);
	if (rc)
		return rc;
	link_units(m);
	pin_outside_text(m);
	m->rel_tab = malloc((elf->nrel ? elf->nrel : 1) * sizeof *m->rel_tab);
	if (m->rel_tab == NULL)
		return ol_fail(err, -ENOMEM, "%s: out of memory", elf->path);
	for (size_t r = 0; r < elf->nrel; r++)
		m->rel_tab[r] = -1;
	if (ol_dis_open(&d) != 0)
		return ol_fail(err, -EINVAL, "%s: Capstone does not start", elf->path);
	rc = ol_walk(m, &d, scan_insn, &s);
	ol_dis_close(&d);
	if (rc == 0)
		rc = find_tables(m, &s);
	free(s.cand);
	if (rc)
		return ol_fail(err, rc, "%s: out of memory", elf->path);
	pin_fde_spans(m);
	/* a fragment pinned pins its function and the other way round */
	for (size_t u = 0; u < m->nunit; u++) {
		size_t f = m->unit[u].func;

		if (m->unit[u].why[0] && !m->unit[f].why[0])
			pin(m, (long)f, "its fragment %s: %s", m->unit[u].name, m->unit[u].why);
	}
	for (size_t u = 0; u < m->nunit; u++) {
		size_t f = m->unit[u].func;

		if (!m->unit[u].why[0] && m->unit[f].why[0])
			pin(m, (long)u, "its function %s cannot move", m->unit[f].name);
	}
	return 0;
}

void ol_model_free(struct ol_model *m)
{
	free(m->unit);
	free(m->names);
	free(m->tab);
	free(m->rel_tab);
	memset(m, 0, sizeof *m);
}
