/* ol_elf.c - reading and validating an executable (see ol_elf.h). */
#include "ol_elf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ol_util.h"

static int bad(struct ol_err *err, const char *path, const char *what)
{
	return ol_fail(err, -EINVAL, "%s: %s", path, what);
}

/* Program header i lies inside the file (size bytes) and, if loaded, in
 * the user half of the address space: a bit flip in p_offset or p_memsz
 * would otherwise make the output a file or segment of terabytes. */
static int check_phdr(const struct ol_elf *elf, size_t i, uint64_t size, struct ol_err *err)
{
	const GElf_Phdr *p = &elf->ph[i];
	const uint64_t user_end = 1ull << 47;

	if (p->p_filesz && (p->p_offset > size || p->p_filesz > size - p->p_offset))
		return ol_fail(err, -EINVAL, "%s: program header %zu: outside the file", elf->path, i);
	if (p->p_type == PT_LOAD && (p->p_filesz > p->p_memsz || p->p_vaddr >= user_end ||
				     p->p_memsz > user_end - p->p_vaddr))
		return ol_fail(err, -EINVAL, "%s: program header %zu: bad address range",
			       elf->path, i);
	return 0;
}

static int read_sections(struct ol_elf *elf, uint64_t size, struct ol_err *err)
{
	if (elf_getshdrnum(elf->e, &elf->nsec) != 0 ||
	    elf_getshdrstrndx(elf->e, &elf->shstrndx) != 0)
		return bad(err, elf->path, "bad section header table");
	if (elf->nsec == 0)
		return bad(err, elf->path, "no section headers");
	if (elf->shstrndx >= elf->nsec)
		return bad(err, elf->path, "bad section name table index");
	elf->sec = calloc(elf->nsec, sizeof *elf->sec);
	if (elf->sec == NULL)
		return ol_fail(err, -ENOMEM, "%s: out of memory", elf->path);
	for (size_t i = 1; i < elf->nsec; i++) {
		struct ol_sec *s = &elf->sec[i];

		s->scn = elf_getscn(elf->e, i);
		if (s->scn == NULL || gelf_getshdr(s->scn, &s->sh) == NULL)
			return bad(err, elf->path, "bad section header");
		s->name = elf_strptr(elf->e, elf->shstrndx, s->sh.sh_name);
		if (s->name == NULL)
			return bad(err, elf->path, "bad section name");
		if (s->sh.sh_link >= elf->nsec ||
		    ((s->sh.sh_flags & SHF_INFO_LINK) && s->sh.sh_info >= elf->nsec))
			return ol_fail(err, -EINVAL, "%s: section %s: bad link",
				       elf->path, s->name);
		if (s->sh.sh_type != SHT_NOBITS &&
		    (s->sh.sh_offset > size || s->sh.sh_size > size - s->sh.sh_offset))
			return ol_fail(err, -EINVAL, "%s: section %s: data outside the file",
				       elf->path, s->name);
		if (s->sh.sh_flags & SHF_COMPRESSED)
			continue;	/* read only to fix its addresses (ol_output.c) */
		if (s->sh.sh_type != SHT_NOBITS && s->sh.sh_size > 0) {
			s->data = elf_getdata(s->scn, NULL);
			if (s->data == NULL || s->data->d_buf == NULL ||
			    s->data->d_size != s->sh.sh_size)
				return ol_fail(err, -EINVAL,
					       "%s: section %s: data outside the file",
					       elf->path, s->name);
		}
		if ((s->sh.sh_flags & SHF_ALLOC) &&
		    s->sh.sh_addr + s->sh.sh_size < s->sh.sh_addr)
			return ol_fail(err, -EINVAL, "%s: section %s: bad address",
				       elf->path, s->name);
	}
	return 0;
}

static int read_symbols(struct ol_elf *elf, struct ol_err *err)
{
	struct ol_sec *st;
	const char *file = NULL;

	elf->symtab = 0;
	for (size_t i = 1; i < elf->nsec; i++)
		if (elf->sec[i].sh.sh_type == SHT_SYMTAB)
			elf->symtab = i;
	if (elf->symtab == 0)
		return ol_fail(err, -EINVAL, "%s: no .symtab: do not strip the input",
			       elf->path);
	st = &elf->sec[elf->symtab];
	if (st->data == NULL || st->sh.sh_entsize != sizeof(Elf64_Sym) ||
	    st->sh.sh_link == 0 || elf->sec[st->sh.sh_link].sh.sh_type != SHT_STRTAB)
		return bad(err, elf->path, "bad .symtab");
	elf->nsym = st->sh.sh_size / sizeof(Elf64_Sym);
	elf->sym = calloc(elf->nsym ? elf->nsym : 1, sizeof *elf->sym);
	if (elf->sym == NULL)
		return ol_fail(err, -ENOMEM, "%s: out of memory", elf->path);
	for (size_t i = 0; i < elf->nsym; i++) {
		struct ol_sym *y = &elf->sym[i];

		if (gelf_getsym(st->data, (int)i, &y->s) == NULL)
			return bad(err, elf->path, "bad symbol");
		y->name = elf_strptr(elf->e, st->sh.sh_link, y->s.st_name);
		if (y->name == NULL)
			return bad(err, elf->path, "bad symbol name");
		if (GELF_ST_TYPE(y->s.st_info) == STT_FILE)
			file = y->name;
		if (GELF_ST_BIND(y->s.st_info) == STB_LOCAL)
			y->file = file;
		if (y->s.st_shndx >= elf->nsec && y->s.st_shndx < SHN_LORESERVE)
			return ol_fail(err, -EINVAL, "%s: symbol %s: bad section",
				       elf->path, y->name);
	}
	return 0;
}

static int rel_cmp(const void *a, const void *b)
{
	const struct ol_rel *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->rsec < y->rsec ? -1 : x->rsec > y->rsec ? 1 :
	       x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Kept relocations: non-alloc SHT_RELA sections that apply to an alloc
 * section; the others (.rela.debug_*) are read by the rewriter itself. */
static int read_relocs(struct ol_elf *elf, struct ol_err *err)
{
	size_t n = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 1; i < elf->nsec; i++) {
			struct ol_sec *s = &elf->sec[i];
			size_t cnt;

			if (s->sh.sh_type != SHT_RELA || (s->sh.sh_flags & SHF_ALLOC) ||
			    s->sh.sh_info == 0 || s->sh.sh_info >= elf->nsec ||
			    !(elf->sec[s->sh.sh_info].sh.sh_flags & SHF_ALLOC))
				continue;
			if (s->sh.sh_link != elf->symtab ||
			    s->sh.sh_entsize != sizeof(Elf64_Rela))
				return ol_fail(err, -EINVAL, "%s: %s: bad relocation section",
					       elf->path, s->name);
			cnt = s->data ? s->sh.sh_size / sizeof(Elf64_Rela) : 0;
			for (size_t k = 0; k < cnt; k++) {
				GElf_Rela r;
				struct ol_rel *o;

				if (pass == 0) {
					n++;
					continue;
				}
				o = &elf->rel[elf->nrel++];
				if (gelf_getrela(s->data, (int)k, &r) == NULL)
					return bad(err, elf->path, "bad relocation");
				o->off = r.r_offset;
				o->addend = r.r_addend;
				o->type = GELF_R_TYPE(r.r_info);
				o->sym = GELF_R_SYM(r.r_info);
				o->rsec = (uint32_t)i;
				o->idx = (uint32_t)k;
				o->tsec = s->sh.sh_info;
				if (o->sym >= elf->nsym)
					return ol_fail(err, -EINVAL,
						       "%s: %s: bad relocation symbol",
						       elf->path, s->name);
			}
		}
		if (pass == 0) {
			elf->rel = calloc(n ? n : 1, sizeof *elf->rel);
			if (elf->rel == NULL)
				return ol_fail(err, -ENOMEM, "%s: out of memory", elf->path);
		}
	}
	/* read in section order, they are usually in address order already:
	 * sorting costs much more than seeing that (rel_cmp is a total order,
	 * so either way gives the same array) */
	for (size_t k = 1; k < elf->nrel; k++)
		if (rel_cmp(&elf->rel[k - 1], &elf->rel[k]) > 0) {
			qsort(elf->rel, elf->nrel, sizeof *elf->rel, rel_cmp);
			break;
		}
	return 0;
}

/* A shared library: ET_DYN with no interpreter, not marked PIE (a
 * static-pie has DF_1_PIE in DT_FLAGS_1). */
static bool shared_library(const struct ol_elf *elf)
{
	if (elf->eh.e_type != ET_DYN)
		return false;
	for (size_t i = 0; i < elf->nph; i++)
		if (elf->ph[i].p_type == PT_INTERP)
			return false;
	for (size_t s = 1; s < elf->nsec; s++) {
		const struct ol_sec *d = &elf->sec[s];
		size_t n = d->data ? d->sh.sh_size / sizeof(Elf64_Dyn) : 0;

		for (size_t i = 0; d->sh.sh_type == SHT_DYNAMIC && i < n; i++) {
			GElf_Dyn dy;

			if (gelf_getdyn(d->data, (int)i, &dy) && dy.d_tag == DT_FLAGS_1 &&
			    (dy.d_un.d_val & DF_1_PIE))
				return false;
		}
	}
	return true;
}

int ol_elf_open(struct ol_elf *elf, const char *path, int fd, bool rdwr,
		struct ol_err *err)
{
	size_t rawlen;
	const char *raw;
	struct stat st;
	int rc;

	memset(elf, 0, sizeof *elf);
	elf->path = path;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return ol_fail(err, -EINVAL, "%s: libelf too old", path);
	elf->e = elf_begin(fd, rdwr ? ELF_C_RDWR : ELF_C_READ, NULL);
	if (elf->e == NULL)
		return ol_fail(err, -EINVAL, "%s: cannot read: %s", path, elf_errmsg(-1));
	raw = elf_getident(elf->e, &rawlen);
	if (elf_kind(elf->e) != ELF_K_ELF || raw == NULL)
		return bad(err, path, "not an ELF file");
	if (raw[EI_CLASS] != ELFCLASS64 || raw[EI_DATA] != ELFDATA2LSB)
		return bad(err, path, "not a 64-bit little-endian ELF file");
	if (gelf_getehdr(elf->e, &elf->eh) == NULL)
		return bad(err, path, "bad ELF header");
	if (elf->eh.e_machine != EM_X86_64)
		return ol_fail(err, -EINVAL, "%s: not x86-64 (e_machine %u)", path,
			       (unsigned)elf->eh.e_machine);
	if (elf->eh.e_type != ET_EXEC && elf->eh.e_type != ET_DYN)
		return bad(err, path, "not an executable");
	elf->pie = elf->eh.e_type == ET_DYN;
	if (elf_getphdrnum(elf->e, &elf->nph) != 0 || elf->nph == 0)
		return bad(err, path, "no program headers");
	elf->ph = calloc(elf->nph, sizeof *elf->ph);
	if (elf->ph == NULL)
		return ol_fail(err, -ENOMEM, "%s: out of memory", path);
	if (fstat(fd, &st) != 0)
		return ol_fail(err, -errno, "%s: %s", path, strerror(errno));
	for (size_t i = 0; i < elf->nph; i++) {
		if (gelf_getphdr(elf->e, (int)i, &elf->ph[i]) == NULL)
			return bad(err, path, "bad program header");
		rc = check_phdr(elf, i, (uint64_t)st.st_size, err);
		if (rc)
			return rc;
		if (elf->ph[i].p_type == PT_INTERP || elf->ph[i].p_type == PT_DYNAMIC)
			elf->dynamic = true;
	}
	rc = read_sections(elf, (uint64_t)st.st_size, err);
	if (rc == 0 && shared_library(elf))
		rc = bad(err, path, "not an executable (a shared library)");
	if (rc == 0)
		rc = read_symbols(elf, err);
	if (rc == 0)
		rc = read_relocs(elf, err);
	if (rc == 0 && ol_elf_find(elf, ".rela.text") == 0)
		rc = bad(err, path, "no .rela.text: relink with -Wl,--emit-relocs");
	return rc;
}

void ol_elf_close(struct ol_elf *elf)
{
	if (elf->e)
		elf_end(elf->e);
	free(elf->sec);
	free(elf->ph);
	free(elf->sym);
	free(elf->rel);
	memset(elf, 0, sizeof *elf);
}

size_t ol_elf_find(const struct ol_elf *elf, const char *name)
{
	for (size_t i = 1; i < elf->nsec; i++)
		if (strcmp(elf->sec[i].name, name) == 0)
			return i;
	return 0;
}

size_t ol_elf_sec_at(const struct ol_elf *elf, uint64_t va, uint64_t len)
{
	for (size_t i = 1; i < elf->nsec; i++) {
		const GElf_Shdr *sh = &elf->sec[i].sh;

		if (!(sh->sh_flags & SHF_ALLOC) || elf->sec[i].data == NULL)
			continue;
		if (va >= sh->sh_addr && len <= sh->sh_size &&
		    va - sh->sh_addr <= sh->sh_size - len)
			return i;
	}
	return 0;
}

uint8_t *ol_elf_ptr(const struct ol_elf *elf, uint64_t va, uint64_t len)
{
	size_t i = ol_elf_sec_at(elf, va, len);

	if (i == 0)
		return NULL;
	return (uint8_t *)elf->sec[i].data->d_buf + (va - elf->sec[i].sh.sh_addr);
}

bool ol_elf_is_code(const struct ol_elf *elf, uint64_t va)
{
	size_t i = ol_elf_sec_at(elf, va, 1);

	return i != 0 && (elf->sec[i].sh.sh_flags & SHF_EXECINSTR);
}

struct rel_key {
	const struct ol_elf *elf;
	uint64_t va;
};

static bool rel_before(const void *arg, size_t i)
{
	const struct rel_key *k = arg;

	return k->elf->rel[i].off < k->va;
}

size_t ol_elf_rel_from(const struct ol_elf *elf, uint64_t va)
{
	struct rel_key k = { elf, va };

	return ol_lower_bound(elf->nrel, rel_before, &k);
}

long ol_elf_rel_at(const struct ol_elf *elf, uint64_t va)
{
	size_t i = ol_elf_rel_from(elf, va);

	return i < elf->nrel && elf->rel[i].off == va ? (long)i : -1;
}

uint64_t ol_elf_sym_value(const struct ol_elf *elf, uint32_t sym)
{
	return sym < elf->nsym ? elf->sym[sym].s.st_value : 0;
}

uint64_t ol_get(const uint8_t *p, int size)
{
	uint64_t v = 0;

	for (int i = size - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

void ol_put(uint8_t *p, int size, uint64_t v)
{
	for (int i = 0; i < size; i++, v >>= 8)
		p[i] = (uint8_t)v;
}
