/* ol_plt.c - PLT entries and their symbols (see ol_plt.h). */
#include "ol_plt.h"

#include <stdlib.h>
#include <string.h>

#include "ol_util.h"

/* A GOT slot a PLT entry jumps through, and what its dynamic relocation
 * puts there. */
struct slot {
	uint64_t addr;
	const char *name;
	uint64_t resolver;
};

struct slots {
	size_t n, cap;
	struct slot *s;		/* by address */
};

static int slot_cmp(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* read_slots: the JUMP_SLOT, GLOB_DAT and IRELATIVE relocations of the
 * dynamic relocation sections. */
static int read_slots(struct slots *t, const struct ol_elf *elf)
{
	for (size_t s = 1; s < elf->nsec; s++) {
		const struct ol_sec *rs = &elf->sec[s];
		const struct ol_sec *ds = rs->sh.sh_link && rs->sh.sh_link < elf->nsec ?
					  &elf->sec[rs->sh.sh_link] : NULL;
		size_t n = rs->data && rs->sh.sh_entsize == sizeof(Elf64_Rela) ?
			   rs->sh.sh_size / sizeof(Elf64_Rela) : 0;

		if (rs->sh.sh_type != SHT_RELA || !(rs->sh.sh_flags & SHF_ALLOC))
			continue;
		for (size_t i = 0; i < n; i++) {
			GElf_Rela r;
			GElf_Sym y;
			struct slot e = { 0 };
			uint32_t type;

			if (gelf_getrela(rs->data, (int)i, &r) == NULL)
				continue;
			type = GELF_R_TYPE(r.r_info);
			e.addr = r.r_offset;
			if (type == R_X86_64_IRELATIVE)
				e.resolver = (uint64_t)r.r_addend;
			else if ((type == R_X86_64_JUMP_SLOT || type == R_X86_64_GLOB_DAT) && ds &&
				 ds->data && ds->sh.sh_entsize == sizeof(Elf64_Sym) &&
				 GELF_R_SYM(r.r_info) < ds->sh.sh_size / sizeof(Elf64_Sym) &&
				 gelf_getsym(ds->data, (int)GELF_R_SYM(r.r_info), &y))
				e.name = elf_strptr(elf->e, ds->sh.sh_link, y.st_name);
			if (e.name == NULL && e.resolver == 0)
				continue;
			if (ol_grow((void **)&t->s, &t->cap, t->n + 1, sizeof *t->s))
				return -ENOMEM;
			t->s[t->n++] = e;
		}
	}
	if (t->n)
		qsort(t->s, t->n, sizeof *t->s, slot_cmp);
	return 0;
}

struct slot_key {
	const struct slots *t;
	uint64_t addr;
};

static bool slot_before(const void *arg, size_t i)
{
	const struct slot_key *k = arg;

	return k->t->s[i].addr < k->addr;
}

/* slot_target: fill e from GOT slot addr's relocation, if it has one. */
static void slot_target(const struct slots *t, uint64_t addr, struct ol_plt_ent *e)
{
	struct slot_key k = { t, addr };
	size_t i = ol_lower_bound(t->n, slot_before, &k);

	if (i < t->n && t->s[i].addr == addr) {
		e->name = t->s[i].name;
		e->resolver = t->s[i].resolver;
	}
}

static int read_section(struct ol_plt *p, size_t *cap, const struct ol_elf *elf, size_t s,
			const struct slots *slots, struct ol_dis *d)
{
	const GElf_Shdr *sh = &elf->sec[s].sh;
	const uint8_t *code = elf->sec[s].data->d_buf;
	size_t first = p->n;

	for (uint64_t at = 0; at < sh->sh_size;) {
		struct ol_insn in;
		struct ol_plt_ent e = { 0 };

		if (ol_dis_one(d, code + at, sh->sh_size - at, sh->sh_addr + at, &in) != 0) {
			at++;
			continue;
		}
		/* jmp *disp(%rip): FF /4 with a RIP-relative operand */
		if (!in.branch && in.disp_kind == OL_FIELD_PCREL && in.disp_off >= 2 &&
		    code[at + in.disp_off - 2] == 0xff &&
		    ((code[at + in.disp_off - 1] >> 3) & 7) == 4) {
			/* the entry starts at the jmp or at the endbr64 before it */
			e.addr = sh->sh_addr + at;
			if (at >= 4 && memcmp(code + at - 4, "\xf3\x0f\x1e\xfa", 4) == 0)
				e.addr -= 4;
			slot_target(slots, in.disp_target, &e);
			if ((e.name || e.resolver) && (p->n == 0 || p->e[p->n - 1].addr != e.addr)) {
				if (ol_grow((void **)&p->e, cap, p->n + 1, sizeof *p->e))
					return -ENOMEM;
				p->e[p->n++] = e;
			}
		}
		at += in.size;
	}
	/* an entry ends where the next begins (or after sh_entsize bytes) */
	for (size_t i = first; i < p->n; i++) {
		uint64_t end = i + 1 < p->n ? p->e[i + 1].addr : sh->sh_addr + sh->sh_size;

		p->e[i].size = end - p->e[i].addr;
		if (sh->sh_entsize && p->e[i].size > sh->sh_entsize)
			p->e[i].size = sh->sh_entsize;
	}
	return 0;
}

static int ent_cmp(const void *a, const void *b)
{
	const struct ol_plt_ent *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int ol_plt_read(struct ol_plt *p, const struct ol_elf *elf, struct ol_dis *d, struct ol_err *err)
{
	struct slots slots = { 0 };
	size_t cap = 0;
	int rc;

	memset(p, 0, sizeof *p);
	rc = read_slots(&slots, elf);
	for (size_t s = 1; rc == 0 && s < elf->nsec; s++) {
		const struct ol_sec *sc = &elf->sec[s];

		if (!(sc->sh.sh_flags & SHF_EXECINSTR) || sc->data == NULL ||
		    (strncmp(sc->name, ".plt", 4) != 0 && strcmp(sc->name, ".iplt") != 0))
			continue;
		rc = read_section(p, &cap, elf, s, &slots, d);
	}
	free(slots.s);
	if (rc)
		return ol_fail(err, rc, "%s: out of memory", elf->path);
	if (p->n)
		qsort(p->e, p->n, sizeof *p->e, ent_cmp);
	return 0;
}

void ol_plt_free(struct ol_plt *p)
{
	free(p->e);
	memset(p, 0, sizeof *p);
}

struct plt_key {
	const struct ol_plt *p;
	uint64_t va;
};

static bool ends_before(const void *arg, size_t i)
{
	const struct plt_key *k = arg;

	return k->p->e[i].addr + k->p->e[i].size <= k->va;
}

const struct ol_plt_ent *ol_plt_at(const struct ol_plt *p, uint64_t va)
{
	struct plt_key k = { p, va };
	size_t i = ol_lower_bound(p->n, ends_before, &k);

	return i < p->n && p->e[i].addr <= va ? &p->e[i] : NULL;
}

bool ol_plt_calls(const struct ol_plt_ent *e, const struct ol_elf *elf, uint32_t sym)
{
	const struct ol_sym *y = &elf->sym[sym];
	size_t n = strcspn(y->name, "@");

	if (e->resolver)
		return GELF_ST_TYPE(y->s.st_info) == STT_GNU_IFUNC && y->s.st_value == e->resolver;
	return e->name && strncmp(e->name, y->name, n) == 0 && e->name[n] == '\0';
}
