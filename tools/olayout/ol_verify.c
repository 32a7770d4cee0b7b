/* ol_verify.c - `olayout verify`: the checks listed in README.md. */
#include "ol_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ol_eh.h"
#include "ol_exe.h"
#include "ol_plt.h"

#define MAX_PROBLEMS 20

struct vctx {
	const struct ol_model *m;
	const char *path;
	uint8_t *starts;	/* per unit byte: an instruction starts here */
	uint64_t *base;		/* per unit: its offset in starts */
	struct ol_plt plt;
	size_t nproblem;
};

static void problem(struct vctx *v, uint64_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct vctx *v, uint64_t at, const char *fmt, ...)
{
	va_list ap;

	if (v->nproblem++ >= MAX_PROBLEMS)
		return;
	fprintf(stderr, "olayout: %s: 0x%llx: ", v->path, (unsigned long long)at);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int mark(void *arg, long u, const struct ol_insn *in, uint64_t bad, size_t r0, size_t r1)
{
	struct vctx *v = arg;

	(void)bad, (void)r0, (void)r1;
	if (in && u >= 0)
		v->starts[v->base[u] + (in->addr - v->m->unit[u].addr)] = 1;
	return 0;
}

/* A load through the GOT: a slot holding code must hold the symbol's
 * address (non-PIE slots have no dynamic relocation to fill them). */
static void check_got_slot(struct vctx *v, const struct ol_rel *r, uint64_t slot)
{
	const struct ol_elf *elf = v->m->elf;
	const GElf_Sym *s = &elf->sym[r->sym].s;
	const uint8_t *p = ol_elf_ptr(elf, slot, 8);
	uint64_t c;

	if (!ol_rel_got_load(r->type) || p == NULL || ol_elf_is_code(elf, slot) ||
	    s->st_shndx == SHN_UNDEF || GELF_ST_TYPE(s->st_info) == STT_GNU_IFUNC)
		return;
	c = ol_get(p, 8);
	if (c != s->st_value && ol_elf_is_code(elf, c))
		problem(v, r->off, "GOT slot 0x%llx holds 0x%llx, not %s (0x%llx)",
			(unsigned long long)slot, (unsigned long long)c, elf->sym[r->sym].name,
			(unsigned long long)s->st_value);
}

/* in_plt: va lies in a PLT section (.plt, .plt.sec, .plt.got, .iplt). */
static bool in_plt(const struct ol_elf *elf, uint64_t va)
{
	size_t s = ol_elf_sec_at(elf, va, 1);

	return s && (strncmp(elf->sec[s].name, ".plt", 4) == 0 ||
		     strcmp(elf->sec[s].name, ".iplt") == 0);
}

/* A reference into the PLT must land on the start of the entry of the
 * symbol its relocation names. */
static void check_plt_ref(struct vctx *v, const struct ol_rel *r, uint64_t t)
{
	const struct ol_elf *elf = v->m->elf;
	const struct ol_plt_ent *e = ol_plt_at(&v->plt, t);
	const char *name = elf->sym[r->sym].name;

	if (e == NULL || t != e->addr)
		problem(v, r->off, "reference to %s lands at 0x%llx, not on the start of a PLT entry",
			name, (unsigned long long)t);
	else if (!ol_plt_calls(e, elf, r->sym))
		problem(v, r->off, "reference to %s lands on the PLT entry at 0x%llx of %s", name,
			(unsigned long long)t, e->name ? e->name : "another IFUNC");
}

static void check_rel(struct vctx *v, const struct ol_insn *in, const struct ol_rel *r)
{
	const struct ol_elf *elf = v->m->elf;
	enum ol_field_kind kind;
	int size;
	uint64_t t, sa = ol_elf_sym_value(elf, r->sym) + (uint64_t)r->addend;
	bool undef = elf->sym[r->sym].s.st_shndx == SHN_UNDEF;
	const uint8_t *p;
	bool ok, via_plt;

	if (!ol_insn_field(in, r->off, &kind, &size, &t)) {
		if (!ol_rel_indirect(r->type))
			problem(v, r->off, "relocation (type %u) matches no field of its instruction",
				r->type);
		return;
	}
	p = ol_elf_ptr(elf, r->off, (uint64_t)size);
	if (p == NULL)
		return;
	/* a PLT call, or a reference the linker sent to an IFUNC's PLT slot */
	via_plt = ol_elf_is_code(elf, t) && ol_unit_at(v->m, t) < 0 &&
		  (r->type == R_X86_64_PLT32 ||
		   GELF_ST_TYPE(elf->sym[r->sym].s.st_info) == STT_GNU_IFUNC);
	if (kind == OL_FIELD_PCREL && (uint64_t)(int64_t)(int32_t)ol_get(p, 4) != sa - r->off &&
	    !ol_rel_indirect(r->type) && in_plt(elf, t)) {
		check_plt_ref(v, r, t);
		return;
	}
	if (kind == OL_FIELD_PCREL)
		ok = (uint64_t)(int64_t)(int32_t)ol_get(p, 4) == sa - r->off ||
		     (undef && ol_elf_is_code(elf, t)) || ol_rel_indirect(r->type) || via_plt;
	else
		ok = t == sa || ol_rel_indirect(r->type) || !ol_rel_abs_addr(r->type) ||
		     (size == 4 && (uint32_t)t == (uint32_t)sa);
	if (!ok)
		problem(v, r->off, "bytes (target 0x%llx) disagree with the relocation (0x%llx, type %u)",
			(unsigned long long)t, (unsigned long long)sa, r->type);
	else if (kind == OL_FIELD_PCREL)
		check_got_slot(v, r, t);
}

/* Kept relocations of data (function pointers, jump tables, init arrays)
 * that point into code: the bytes must hold what the relocation computes. */
static void check_data_rels(struct vctx *v)
{
	const struct ol_elf *elf = v->m->elf;
	size_t eh = ol_elf_find(elf, ".eh_frame");

	for (size_t i = 0; i < elf->nrel; i++) {
		const struct ol_rel *r = &elf->rel[i];
		const GElf_Sym *s = &elf->sym[r->sym].s;
		uint64_t sa = s->st_value + (uint64_t)r->addend, want;
		enum ol_field_kind kind;
		int size;
		const uint8_t *p = ol_rel_data_field(r->type, &kind, &size) ?
				   ol_elf_ptr(elf, r->off, (uint64_t)size) : NULL;

		if (p == NULL || (elf->sec[r->tsec].sh.sh_flags & SHF_EXECINSTR) ||
		    r->tsec == eh || s->st_shndx == SHN_UNDEF || GELF_ST_TYPE(s->st_info) == STT_GNU_IFUNC ||
		    ol_unit_at(v->m, sa) < 0)
			continue;
		want = kind == OL_FIELD_PCREL ? sa - r->off : sa;
		if (ol_get(p, size) != (size == 8 ? want : (uint32_t)want))
			problem(v, r->off, "data (0x%llx) disagrees with its relocation (0x%llx, type %u)",
				(unsigned long long)ol_get(p, size), (unsigned long long)want, r->type);
	}
}

/* RELATIVE and IRELATIVE dynamic relocations whose addend is code (function
 * pointers of PIE data, IFUNC resolvers): it must be an instruction start
 * of a function, fragment or clone, never the int3 left where one was. */
static void check_dyn_rels(struct vctx *v)
{
	const struct ol_elf *elf = v->m->elf;

	for (size_t s = 1; s < elf->nsec; s++) {
		const struct ol_sec *rs = &elf->sec[s];
		size_t n = rs->data && rs->sh.sh_entsize == sizeof(Elf64_Rela) ?
			   rs->sh.sh_size / sizeof(Elf64_Rela) : 0;

		for (size_t i = 0; rs->sh.sh_type == SHT_RELA && (rs->sh.sh_flags & SHF_ALLOC) &&
				   i < n; i++) {
			GElf_Rela r;
			uint64_t a;
			long u;

			if (gelf_getrela(rs->data, (int)i, &r) == NULL ||
			    (GELF_R_TYPE(r.r_info) != R_X86_64_RELATIVE &&
			     GELF_R_TYPE(r.r_info) != R_X86_64_IRELATIVE))
				continue;
			a = (uint64_t)r.r_addend;
			u = ol_unit_at(v->m, a);
			if (!ol_elf_is_code(elf, a) || in_plt(elf, a) ||
			    (u >= 0 && (v->m->unit[u].opaque ||
					v->starts[v->base[u] + (a - v->m->unit[u].addr)])))
				continue;
			/* outside functions (crt's frame_dummy has no size) only the
			 * int3 filling a moved function's old place is wrong */
			if (u < 0 && *ol_elf_ptr(elf, a, 1) != 0xcc)
				continue;
			problem(v, r.r_offset, "dynamic relocation points to 0x%llx, %s",
				(unsigned long long)a, u >= 0 ? "inside an instruction" :
				"where a moved function was (int3)");
		}
	}
}

/* glibc's "jne 1f; lock; 1: cmpxchg" jumps over a lock prefix */
static bool lock_skip(const struct vctx *v, long u, uint64_t t)
{
	const uint8_t *p = ol_elf_ptr(v->m->elf, t - 1, 1);

	return t > v->m->unit[u].addr && p && *p == 0xf0 &&
	       v->starts[v->base[u] + (t - 1 - v->m->unit[u].addr)];
}

static int check(void *arg, long u, const struct ol_insn *in, uint64_t bad, size_t r0, size_t r1)
{
	struct vctx *v = arg;
	const struct ol_model *m = v->m;

	/* code that does not decode (data in code, instructions Capstone 4
	 * does not know) cannot be checked */
	if (m->unit[u].opaque)
		return 0;
	if (in == NULL) {
		problem(v, bad, "bytes in %s do not decode", m->unit[u].name);
		return 0;
	}
	if (in->branch) {
		long tu = ol_unit_at(m, in->target);

		if (in->target == 0 && r0 < r1 &&
		    m->elf->sym[m->elf->rel[r0].sym].s.st_shndx == SHN_UNDEF)
			;	/* a call of an undefined weak function */
		else if (!ol_elf_is_code(m->elf, in->target))
			problem(v, in->addr, "branch to 0x%llx, outside the code",
				(unsigned long long)in->target);
		else if (tu >= 0 && !v->starts[v->base[tu] + (in->target - m->unit[tu].addr)] &&
			 !lock_skip(v, tu, in->target))
			problem(v, in->addr, "branch to 0x%llx, inside an instruction of %s",
				(unsigned long long)in->target, m->unit[tu].name);
	}
	for (size_t r = r0; r < r1; r++)
		check_rel(v, in, &m->elf->rel[r]);
	return 0;
}

static void check_eh(struct vctx *v)
{
	const struct ol_elf *elf = v->m->elf;
	size_t s = ol_elf_find(elf, ".eh_frame"), h = ol_elf_find(elf, ".eh_frame_hdr");
	struct ol_eh eh;
	struct ol_err err = { { 0 } };

	if (s == 0 || elf->sec[s].data == NULL) {
		problem(v, 0, "no .eh_frame");
		return;
	}
	if (ol_eh_parse(&eh, elf->sec[s].data->d_buf, elf->sec[s].sh.sh_size,
			elf->sec[s].sh.sh_addr, ".eh_frame", &err) != 0) {
		problem(v, elf->sec[s].sh.sh_addr, "%s", err.msg);
		return;
	}
	for (size_t u = 0; u < v->m->nunit; u++) {
		const struct ol_unit *un = &v->m->unit[u];
		long f = ol_eh_fde_at(&eh, un->addr);
		size_t first;

		if (f < 0 && strcmp(elf->sec[un->sec].name, ".olayout.text") == 0)
			problem(v, un->addr, "no FDE covers %s", un->name);
		else if (f >= 0 && eh.fde[f].pc_begin == un->addr &&
			 eh.fde[f].pc_range < un->size &&
			 ol_eh_fdes_in(&eh, un->addr, un->addr + un->size, &first) == 1)
			problem(v, un->addr, "the FDE of %s is shorter than it", un->name);
	}
	if (h && elf->sec[h].data &&
	    ol_eh_hdr_check(&eh, elf->sec[h].data->d_buf, elf->sec[h].sh.sh_size,
			    elf->sec[h].sh.sh_addr, ".eh_frame_hdr", &err) != 0)
		problem(v, elf->sec[h].sh.sh_addr, "%s", err.msg);
	ol_eh_free(&eh);
}

int ol_cmd_verify(const char *path, struct ol_err *err)
{
	struct ol_exe x;
	const struct ol_model *m = &x.m;
	struct vctx v = { .m = m, .path = path };
	struct ol_dis d;
	uint64_t total = 0;
	int rc = ol_exe_open(&x, path, err);

	if (rc == 0) {
		v.base = malloc((m->nunit + 1) * sizeof *v.base);
		for (size_t u = 0; v.base && u < m->nunit; u++) {
			v.base[u] = total;
			total += m->unit[u].size;
		}
		v.starts = calloc(total + 1, 1);
		if (v.base == NULL || v.starts == NULL)
			rc = ol_fail(err, -ENOMEM, "out of memory");
	}
	if (rc == 0 && ol_dis_open(&d) != 0)
		rc = ol_fail(err, -EINVAL, "Capstone does not start");
	if (rc == 0) {
		rc = ol_plt_read(&v.plt, &x.elf, &d, err);
		if (rc)
			ol_dis_close(&d);
	}
	if (rc == 0) {
		for (size_t u = 0; u < m->nunit; u++)
			ol_walk_unit(m, &d, u, mark, &v);
		/* check looks at units only: not at the int3 where they were */
		for (size_t u = 0; u < m->nunit; u++)
			ol_walk_unit(m, &d, u, check, &v);
		ol_dis_close(&d);
		check_data_rels(&v);
		check_dyn_rels(&v);
		for (size_t u = 0; u < m->nunit; u++)
			if (strstr(m->unit[u].why, "overlap"))
				problem(&v, m->unit[u].addr, "%s", m->unit[u].why);
		check_eh(&v);
		if (v.nproblem > MAX_PROBLEMS)
			fprintf(stderr, "olayout: %s: %zu more problems\n", path,
				v.nproblem - MAX_PROBLEMS);
		if (v.nproblem)
			rc = ol_fail(err, -EINVAL, "%s: verify failed: %zu problems", path, v.nproblem);
	}
	free(v.base);
	free(v.starts);
	ol_plt_free(&v.plt);
	ol_exe_close(&x);
	return rc;
}
