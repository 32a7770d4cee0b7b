/* ol_plt.c - PLT entries and their symbols (see ol_plt.h). */
#include "ol_plt.h"

#include <stdlib.h>
#include <string.h>

#include "ol_util.h"

/* slot_target: fill e from the dynamic relocation of GOT slot slot. */
static void slot_target(const struct ol_elf *elf, uint64_t slot, struct ol_plt_ent *e)
{
	for (size_t s = 1; s < elf->nsec; s++) {
		const struct ol_sec *rs = &elf->sec[s];
		size_t n = rs->data && rs->sh.sh_entsize == sizeof(Elf64_Rela) ?
			   rs->sh.sh_size / sizeof(Elf64_Rela) : 0;

		if (rs->sh.sh_type != SHT_RELA || !(rs->sh.sh_flags & SHF_ALLOC))
			continue;
		for (size_t i = 0; i < n; i++) {
			GElf_Rela r;
			GElf_Sym y;
			uint32_t t;
			const struct ol_sec *ds;

			if (gelf_getrela(rs->data, (int)i, &r) == NULL || r.r_offset != slot)
				continue;
			t = GELF_R_TYPE(r.r_info);
			if (t == R_X86_64_IRELATIVE) {
				e->resolver = (uint64_t)r.r_addend;
				return;
			}
			if (t != R_X86_64_JUMP_SLOT && t != R_X86_64_GLOB_DAT)
				continue;
			if (rs->sh.sh_link == 0 || rs->sh.sh_link >= elf->nsec)
				return;
			ds = &elf->sec[rs->sh.sh_link];
			if (ds->data == NULL || ds->sh.sh_entsize != sizeof(Elf64_Sym) ||
			    GELF_R_SYM(r.r_info) >= ds->sh.sh_size / sizeof(Elf64_Sym) ||
			    gelf_getsym(ds->data, (int)GELF_R_SYM(r.r_info), &y) == NULL)
				return;
			e->name = elf_strptr(elf->e, ds->sh.sh_link, y.st_name);
			return;
		}
	}
}

static int read_section(struct ol_plt *p, size_t *cap, const struct ol_elf *elf, size_t s,
			struct ol_dis *d)
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
			slot_target(elf, in.disp_target, &e);
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
	size_t cap = 0;

	memset(p, 0, sizeof *p);
	for (size_t s = 1; s < elf->nsec; s++) {
		const struct ol_sec *sc = &elf->sec[s];

		if (!(sc->sh.sh_flags & SHF_EXECINSTR) || sc->data == NULL ||
		    (strncmp(sc->name, ".plt", 4) != 0 && strcmp(sc->name, ".iplt") != 0))
			continue;
		if (read_section(p, &cap, elf, s, d))
			return ol_fail(err, -ENOMEM, "%s: out of memory", elf->path);
	}
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
