/* ol_output.c - building and writing the output (see ol_output.h). */
#include "ol_output.h"

#include <stdlib.h>
#include <string.h>

#include "ol_util.h"

#define PAGE 0x1000
#define CLONE_MAGIC "OLAYOUT-CLONES1"
#define ANCHOR_MAGIC "OLAYOUT1"

struct buf {
	uint8_t *p;
	size_t len, cap;
};

struct rel_add {
	size_t n, cap;
	Elf64_Rela *r;
};

struct ol_out {
	struct ol_elf *elf;
	struct ol_err *err;
	bool first;		/* the input has no olayout segment yet */
	size_t seg;		/* phdr index of the area's segment */
	uint64_t seg_va, seg_off;	/* the segment's start */
	uint64_t area_va;	/* where this rewrite's part of it starts */
	uint64_t text_va, text_end, rod_va, rod_size, hdr_va, hdr_len, eh_va, eh_len;
	uint8_t *text, *rod, *frame, *hdr;
	size_t sec_anchor, sec_text, sec_rod, sec_clones;
	struct rel_add *radd;	/* per section */
	bool *dirty;		/* per section */
	struct buf symadd, stradd, clones_str;
	size_t nclone, capclone;
	struct ol_clone_ent *clone;
	GElf_Ehdr eh;
	uint64_t file_end;	/* end of the area in the file */
	uint8_t anchor[16];
};

static uint64_t up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static int buf_add(struct buf *b, const void *p, size_t n)
{
	if (ol_grow((void **)&b->p, &b->cap, b->len + n, 1))
		return -ENOMEM;
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

struct ol_out *ol_out_new(void)
{
	return calloc(1, sizeof(struct ol_out));
}

void ol_out_free(struct ol_out *o)
{
	if (o == NULL)
		return;
	free(o->text);
	free(o->rod);
	free(o->frame);
	free(o->hdr);
	if (o->radd && o->elf)
		for (size_t i = 0; i < o->elf->nsec; i++)
			free(o->radd[i].r);
	free(o->radd);
	free(o->dirty);
	free(o->symadd.p);
	free(o->stradd.p);
	free(o->clones_str.p);
	for (size_t i = 0; i < o->nclone; i++) {
		free((char *)o->clone[i].path);
		free((char *)o->clone[i].name);
	}
	free(o->clone);
	free(o);
}

static uint64_t file_end(const struct ol_elf *elf)
{
	uint64_t end = elf->eh.e_shoff + (uint64_t)elf->nsec * elf->eh.e_shentsize;

	if (elf->eh.e_phoff + (uint64_t)elf->nph * elf->eh.e_phentsize > end)
		end = elf->eh.e_phoff + (uint64_t)elf->nph * elf->eh.e_phentsize;
	for (size_t i = 1; i < elf->nsec; i++) {
		const GElf_Shdr *sh = &elf->sec[i].sh;

		if (sh->sh_type != SHT_NOBITS && sh->sh_offset + sh->sh_size > end)
			end = sh->sh_offset + sh->sh_size;
	}
	return end;
}

static Elf_Scn *new_section(struct ol_out *o, size_t *idx)
{
	Elf_Scn *s = elf_newscn(o->elf->e);

	if (s)
		*idx = elf_ndxscn(s);
	return s;
}

/* top_load: the PT_LOAD segment that ends highest, and its end. */
static size_t top_load(const struct ol_elf *elf, uint64_t *max_end)
{
	size_t top = 0;

	*max_end = 0;
	for (size_t i = 0; i < elf->nph; i++) {
		const GElf_Phdr *p = &elf->ph[i];

		if (p->p_type == PT_LOAD && p->p_vaddr + p->p_memsz >= *max_end) {
			*max_end = p->p_vaddr + p->p_memsz;
			top = i;
		}
	}
	return top;
}

uint64_t ol_out_area_start(const struct ol_elf *elf)
{
	uint64_t max_end;
	size_t top = top_load(elf, &max_end);

	if (ol_elf_find(elf, ".olayout.anchor"))
		return up(elf->ph[top].p_vaddr + elf->ph[top].p_memsz, 64);
	return up(max_end, PAGE) + 16;
}

int ol_out_begin(struct ol_out *o, struct ol_elf *elf, struct ol_err *err)
{
	size_t anchor = ol_elf_find(elf, ".olayout.anchor");
	uint64_t max_end;
	size_t top = top_load(elf, &max_end);

	o->elf = elf;
	o->err = err;
	o->eh = elf->eh;
	o->radd = calloc(elf->nsec, sizeof *o->radd);
	o->dirty = calloc(elf->nsec, sizeof *o->dirty);
	if (o->radd == NULL || o->dirty == NULL)
		return ol_fail(err, -ENOMEM, "out of memory");
	if (anchor) {
		const GElf_Phdr *p = &elf->ph[top];

		if (elf->sec[anchor].sh.sh_addr != p->p_vaddr || p->p_filesz != p->p_memsz ||
		    elf->sec[anchor].data == NULL || elf->sec[anchor].sh.sh_size < 16)
			return ol_fail(err, -EINVAL, "%s: the olayout segment is not the last one",
				       elf->path);
		o->seg = top;
		o->seg_va = p->p_vaddr;
		o->seg_off = p->p_offset;
		o->area_va = ol_out_area_start(elf);
		o->sec_anchor = anchor;
		o->sec_clones = ol_elf_find(elf, ".olayout.clones");
	} else {
		size_t prop = elf->nph, note = elf->nph;

		for (size_t i = 0; i < elf->nph; i++)
			if (elf->ph[i].p_type == PT_GNU_PROPERTY)
				prop = i;
		for (size_t i = 0; i < elf->nph && prop < elf->nph; i++)
			if (elf->ph[i].p_type == PT_NOTE &&
			    elf->ph[i].p_offset == elf->ph[prop].p_offset &&
			    elf->ph[i].p_filesz == elf->ph[prop].p_filesz)
				note = i;
		if (note == elf->nph)
			return ol_fail(err, -EINVAL,
				       "%s: no spare program header (a PT_NOTE of .note.gnu.property)",
				       elf->path);
		o->first = true;
		o->seg = note;
		o->seg_va = up(max_end, PAGE);
		o->seg_off = up(file_end(elf), PAGE);
		o->area_va = ol_out_area_start(elf);
		if (new_section(o, &o->sec_anchor) == NULL)
			return ol_fail(err, -EINVAL, "%s: libelf: %s", elf->path, elf_errmsg(-1));
	}
	if (new_section(o, &o->sec_text) == NULL || new_section(o, &o->sec_rod) == NULL ||
	    (o->sec_clones == 0 && new_section(o, &o->sec_clones) == NULL))
		return ol_fail(err, -EINVAL, "%s: libelf: %s", elf->path, elf_errmsg(-1));
	return 0;
}

uint64_t ol_out_text_start(struct ol_out *o, uint64_t align)
{
	o->text_va = up(o->area_va, align);
	return o->text_va;
}

int ol_out_set_text(struct ol_out *o, uint64_t end)
{
	o->text_end = end;
	o->text = malloc(end - o->text_va + 1);
	if (o->text == NULL)
		return ol_fail(o->err, -ENOMEM, "out of memory");
	memset(o->text, 0xcc, end - o->text_va);
	o->rod_va = up(end, 8);
	return 0;
}

uint64_t ol_out_rodata_start(const struct ol_out *o)
{
	return o->rod_va;
}

int ol_out_set_rodata(struct ol_out *o, uint64_t size)
{
	o->rod_size = size;
	o->rod = calloc(1, size + 1);
	return o->rod ? 0 : ol_fail(o->err, -ENOMEM, "out of memory");
}

uint8_t *ol_out_area_ptr(struct ol_out *o, uint64_t va, uint64_t len)
{
	if (o->text && va >= o->text_va && len <= o->text_end - o->text_va &&
	    va - o->text_va <= o->text_end - o->text_va - len)
		return o->text + (va - o->text_va);
	if (o->rod && va >= o->rod_va && len <= o->rod_size && va - o->rod_va <= o->rod_size - len)
		return o->rod + (va - o->rod_va);
	return NULL;
}

uint64_t ol_out_place_eh(struct ol_out *o, uint64_t flen, uint64_t hlen)
{
	o->hdr_va = up(o->rod_va + o->rod_size, 4);
	o->hdr_len = hlen;
	o->eh_va = up(o->hdr_va + hlen, 8);
	o->eh_len = flen;
	return o->eh_va;
}

uint64_t ol_out_hdr_addr(const struct ol_out *o)
{
	return o->hdr_va;
}

int ol_out_set_eh(struct ol_out *o, uint8_t *frame, size_t flen, uint8_t *hdr, size_t hlen)
{
	o->frame = frame;
	o->hdr = hdr;
	if (flen != o->eh_len || hlen != o->hdr_len)
		return ol_fail(o->err, -EINVAL, "internal: .eh_frame size changed");
	return 0;
}

int ol_out_set_rel(struct ol_out *o, uint32_t rsec, uint32_t idx, uint64_t off, int64_t addend)
{
	Elf_Data *d = o->elf->sec[rsec].data;
	GElf_Rela r;

	if (d == NULL || gelf_getrela(d, (int)idx, &r) == NULL)
		return -EINVAL;
	if (r.r_offset == off && r.r_addend == addend)
		return 0;
	r.r_offset = off;
	r.r_addend = addend;
	o->dirty[rsec] = true;
	return gelf_update_rela(d, (int)idx, &r) ? 0 : -EINVAL;
}

int ol_out_add_rel(struct ol_out *o, uint32_t rsec, uint64_t off, uint32_t type,
		   uint32_t sym, int64_t addend)
{
	struct rel_add *a = &o->radd[rsec];

	if (ol_grow((void **)&a->r, &a->cap, a->n + 1, sizeof *a->r))
		return -ENOMEM;
	a->r[a->n++] = (Elf64_Rela){ off, ELF64_R_INFO(sym, type), addend };
	return 0;
}

void ol_out_dirty(struct ol_out *o, size_t sec)
{
	if (sec < o->elf->nsec)
		o->dirty[sec] = true;
}

int ol_out_add_sym(struct ol_out *o, const char *name, uint64_t value, uint64_t size)
{
	const struct ol_sec *st = &o->elf->sec[o->elf->symtab];
	Elf64_Sym s = {
		.st_name = (Elf64_Word)(o->elf->sec[st->sh.sh_link].sh.sh_size + o->stradd.len),
		.st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC),
		.st_other = STV_DEFAULT,
		.st_shndx = (Elf64_Section)o->sec_text,
		.st_value = value,
		.st_size = size,
	};

	if (buf_add(&o->stradd, name, strlen(name) + 1) || buf_add(&o->symadd, &s, sizeof s))
		return -ENOMEM;
	return 0;
}

int ol_out_add_clone(struct ol_out *o, uint64_t orig, uint64_t clone, const char *path,
		     const char *name)
{
	struct ol_clone_ent *e;

	if (ol_grow((void **)&o->clone, &o->capclone, o->nclone + 1, sizeof *o->clone))
		return -ENOMEM;
	e = &o->clone[o->nclone];
	e->orig = orig;
	e->clone = clone;
	e->path = strdup(path);
	e->name = strdup(name);
	if (e->path == NULL || e->name == NULL) {
		free((char *)e->path);
		free((char *)e->name);
		return -ENOMEM;
	}
	o->nclone++;
	return 0;
}

int ol_clone_table(const struct ol_elf *elf, struct ol_clone_ent **ent, size_t *n,
		   struct ol_err *err)
{
	size_t s = ol_elf_find(elf, ".olayout.clones");
	const uint8_t *b;
	uint64_t len, cnt, va;

	*ent = NULL;
	*n = 0;
	if (s == 0)
		return 0;
	b = elf->sec[s].data ? elf->sec[s].data->d_buf : NULL;
	len = elf->sec[s].sh.sh_size;
	va = elf->sec[s].sh.sh_addr;
	if (b == NULL || len < 24 || memcmp(b, CLONE_MAGIC, 16) != 0)
		return ol_fail(err, -EINVAL, "%s: bad .olayout.clones", elf->path);
	cnt = ol_get(b + 16, 8);
	if (cnt > (len - 24) / 24)
		return ol_fail(err, -EINVAL, "%s: .olayout.clones truncated", elf->path);
	*ent = calloc(cnt + 1, sizeof **ent);
	if (*ent == NULL)
		return ol_fail(err, -ENOMEM, "out of memory");
	for (uint64_t i = 0; i < cnt; i++) {
		const uint8_t *e = b + 24 + 24 * i;
		uint64_t str = 24 + 24 * cnt;
		uint64_t p = str + ol_get(e + 16, 4), q = str + ol_get(e + 20, 4);

		if (p >= len || q >= len || memchr(b + p, 0, len - p) == NULL ||
		    memchr(b + q, 0, len - q) == NULL) {
			free(*ent);
			*ent = NULL;
			return ol_fail(err, -EINVAL, "%s: .olayout.clones: bad name", elf->path);
		}
		(*ent)[i] = (struct ol_clone_ent){ va + ol_get(e, 8), va + ol_get(e + 8, 8),
						   (const char *)b + p, (const char *)b + q };
	}
	*n = cnt;
	return 0;
}

/* Symbols of .symtab/.dynsym that moved: new value and section. */
static int fix_syms(struct ol_out *o, size_t s, ol_out_map_fn map, void *arg,
		    const uint64_t *sym_new)
{
	const struct ol_elf *elf = o->elf;
	Elf_Data *d = elf->sec[s].data;
	size_t n = d ? elf->sec[s].sh.sh_size / sizeof(Elf64_Sym) : 0;

	for (size_t i = 0; i < n; i++) {
		GElf_Sym y;
		uint64_t v;

		if (gelf_getsym(d, (int)i, &y) == NULL)
			return ol_fail(o->err, -EINVAL, "%s: bad symbol", elf->path);
		if (GELF_ST_TYPE(y.st_info) == STT_SECTION || GELF_ST_TYPE(y.st_info) == STT_FILE ||
		    y.st_shndx == SHN_UNDEF || y.st_shndx >= elf->nsec ||
		    !(elf->sec[y.st_shndx].sh.sh_flags & SHF_EXECINSTR))
			continue;
		v = sym_new ? sym_new[i] : map(arg, y.st_value);
		if (v == y.st_value)
			continue;
		y.st_value = v;
		y.st_shndx = (Elf64_Section)o->sec_text;
		if (!gelf_update_sym(d, (int)i, &y))
			return ol_fail(o->err, -EINVAL, "%s: libelf: %s", elf->path, elf_errmsg(-1));
		o->dirty[s] = true;
	}
	return 0;
}

/* Dynamic relocations: RELATIVE and IRELATIVE addends are addresses. */
static int fix_dynrel(struct ol_out *o, size_t s, ol_out_map_fn map, void *arg)
{
	Elf_Data *d = o->elf->sec[s].data;
	size_t n = d && o->elf->sec[s].sh.sh_entsize == sizeof(Elf64_Rela) ?
		   o->elf->sec[s].sh.sh_size / sizeof(Elf64_Rela) : 0;

	for (size_t i = 0; i < n; i++) {
		GElf_Rela r;
		uint32_t t;
		uint64_t a;

		if (gelf_getrela(d, (int)i, &r) == NULL)
			return ol_fail(o->err, -EINVAL, "%s: bad dynamic relocation", o->elf->path);
		t = GELF_R_TYPE(r.r_info);
		if (t != R_X86_64_RELATIVE && t != R_X86_64_IRELATIVE)
			continue;
		a = map(arg, (uint64_t)r.r_addend);
		if (a == (uint64_t)r.r_addend)
			continue;
		r.r_addend = (int64_t)a;
		if (!gelf_update_rela(d, (int)i, &r))
			return ol_fail(o->err, -EINVAL, "%s: libelf: %s", o->elf->path, elf_errmsg(-1));
		o->dirty[s] = true;
	}
	return 0;
}

/* Symbol sym is defined in an executable section: a relocation against it
 * holds a code address. Others are offsets into sections (.debug_str,
 * .debug_rnglists...) that may look like code addresses but must not move. */
static bool names_code(const struct ol_elf *elf, uint32_t sym)
{
	uint16_t shndx = elf->sym[sym].s.st_shndx;

	return shndx != SHN_UNDEF && shndx < elf->nsec &&
	       (elf->sec[shndx].sh.sh_flags & SHF_EXECINSTR);
}

/* DWARF (and other non-alloc) sections: addresses of moved code. */
static int fix_debugrel(struct ol_out *o, size_t s, ol_out_map_fn map, void *arg,
			const uint64_t *sym_new)
{
	const struct ol_elf *elf = o->elf;
	const struct ol_sec *rs = &elf->sec[s];
	const struct ol_sec *ts;
	size_t n;

	if (rs->sh.sh_info == 0 || rs->sh.sh_info >= elf->nsec || rs->sh.sh_link != elf->symtab ||
	    rs->data == NULL || rs->sh.sh_entsize != sizeof(Elf64_Rela))
		return 0;
	ts = &elf->sec[rs->sh.sh_info];
	if (ts->data == NULL)
		return 0;
	n = rs->sh.sh_size / sizeof(Elf64_Rela);
	for (size_t i = 0; i < n; i++) {
		GElf_Rela r;
		uint32_t t, sym;
		enum ol_field_kind kind;
		int size;
		uint64_t v, v2;

		if (gelf_getrela(rs->data, (int)i, &r) == NULL)
			return ol_fail(o->err, -EINVAL, "%s: bad relocation", elf->path);
		t = GELF_R_TYPE(r.r_info);
		sym = GELF_R_SYM(r.r_info);
		if (!ol_rel_data_field(t, &kind, &size) || kind != OL_FIELD_ABS ||
		    sym >= elf->nsym || r.r_offset > ts->sh.sh_size - (uint64_t)size ||
		    ts->sh.sh_size < (uint64_t)size || !names_code(elf, sym))
			continue;
		v = elf->sym[sym].s.st_value + (uint64_t)r.r_addend;
		v2 = map(arg, v);
		if (v2 == v)
			continue;
		if (size == 4 && !ol_rel_fits(kind, t, v2))
			return ol_fail(o->err, -ERANGE, "%s: %s: address out of range", elf->path,
				       ts->name);
		ol_put((uint8_t *)ts->data->d_buf + r.r_offset, size, v2);
		r.r_addend = (int64_t)(v2 - sym_new[sym]);
		if (!gelf_update_rela(rs->data, (int)i, &r))
			return ol_fail(o->err, -EINVAL, "%s: libelf: %s", elf->path, elf_errmsg(-1));
		o->dirty[s] = o->dirty[rs->sh.sh_info] = true;
	}
	return 0;
}

/* Re-read section s's header and data after libelf changed them. */
static int reread(struct ol_out *o, size_t s)
{
	struct ol_sec *sc = &o->elf->sec[s];

	if (gelf_getshdr(sc->scn, &sc->sh) == NULL)
		return ol_fail(o->err, -EINVAL, "%s: %s: libelf: %s", o->elf->path, sc->name,
			       elf_errmsg(-1));
	sc->data = elf_getdata(sc->scn, NULL);
	if (sc->data == NULL && sc->sh.sh_type != SHT_NOBITS && sc->sh.sh_size > 0)
		return ol_fail(o->err, -EINVAL, "%s: %s: libelf: %s", o->elf->path, sc->name,
			       elf_errmsg(-1));
	return 0;
}

/* fix_debugrel, also for a compressed (-gz) target: its relocations apply
 * to the uncompressed bytes, so it is decompressed, fixed and compressed
 * again (with zlib; left uncompressed if that is not smaller). */
static int fix_debugrel_any(struct ol_out *o, size_t s, ol_out_map_fn map, void *arg,
			    const uint64_t *sym_new)
{
	struct ol_elf *elf = o->elf;
	size_t t = elf->sec[s].sh.sh_info;
	int rc;

	if (!(elf->sec[t].sh.sh_flags & SHF_COMPRESSED))
		return fix_debugrel(o, s, map, arg, sym_new);
	if (elf_compress(elf->sec[t].scn, 0, 0) < 0)
		return ol_fail(o->err, -EINVAL, "%s: %s: cannot decompress: %s", elf->path,
			       elf->sec[t].name, elf_errmsg(-1));
	rc = reread(o, t);
	if (rc == 0)
		rc = fix_debugrel(o, s, map, arg, sym_new);
	if (rc == 0 && elf_compress(elf->sec[t].scn, ELFCOMPRESS_ZLIB, 0) < 0)
		rc = ol_fail(o->err, -EINVAL, "%s: %s: cannot compress: %s", elf->path,
			     elf->sec[t].name, elf_errmsg(-1));
	return rc ? rc : reread(o, t);
}

static int fix_dynamic(struct ol_out *o, size_t s, ol_out_map_fn map, void *arg)
{
	Elf_Data *d = o->elf->sec[s].data;
	size_t n = d ? o->elf->sec[s].sh.sh_size / sizeof(Elf64_Dyn) : 0;

	for (size_t i = 0; i < n; i++) {
		GElf_Dyn dy;

		if (gelf_getdyn(d, (int)i, &dy) == NULL)
			return ol_fail(o->err, -EINVAL, "%s: bad .dynamic", o->elf->path);
		if ((dy.d_tag == DT_INIT || dy.d_tag == DT_FINI) &&
		    map(arg, dy.d_un.d_ptr) != dy.d_un.d_ptr) {
			dy.d_un.d_ptr = map(arg, dy.d_un.d_ptr);
			gelf_update_dyn(d, (int)i, &dy);
			o->dirty[s] = true;
		}
	}
	return 0;
}

int ol_out_fix_meta(struct ol_out *o, ol_out_map_fn map, void *arg, const uint64_t *sym_new)
{
	struct ol_elf *elf = o->elf;
	struct ol_clone_ent *old;
	size_t nold;
	int rc;

	o->eh.e_entry = map(arg, elf->eh.e_entry);
	rc = ol_clone_table(elf, &old, &nold, o->err);
	for (size_t i = 0; rc == 0 && i < nold; i++)
		if (ol_out_add_clone(o, map(arg, old[i].orig), map(arg, old[i].clone), old[i].path,
				     old[i].name))
			rc = ol_fail(o->err, -ENOMEM, "out of memory");
	free(old);
	for (size_t s = 1; rc == 0 && s < elf->nsec; s++) {
		const GElf_Shdr *sh = &elf->sec[s].sh;

		if (s == elf->symtab)
			rc = fix_syms(o, s, map, arg, sym_new);
		else if (sh->sh_type == SHT_DYNSYM)
			rc = fix_syms(o, s, map, arg, NULL);
		else if (sh->sh_type == SHT_DYNAMIC)
			rc = fix_dynamic(o, s, map, arg);
		else if (sh->sh_type == SHT_RELA && (sh->sh_flags & SHF_ALLOC))
			rc = fix_dynrel(o, s, map, arg);
		else if (sh->sh_type == SHT_RELA && sh->sh_info < elf->nsec &&
			 !(elf->sec[sh->sh_info].sh.sh_flags & SHF_ALLOC))
			rc = fix_debugrel_any(o, s, map, arg, sym_new);
	}
	return rc;
}

/* The clone table's bytes (see README.md), offsets relative to va. */
static int build_clones(struct ol_out *o, uint64_t va, struct buf *b)
{
	struct buf str = { 0 };
	uint8_t h[24] = { 0 };
	int rc = 0;

	memcpy(h, CLONE_MAGIC, sizeof CLONE_MAGIC);
	ol_put(h + 16, 8, o->nclone);
	rc = buf_add(b, h, sizeof h);
	for (size_t i = 0; rc == 0 && i < o->nclone; i++) {
		uint8_t e[24];

		ol_put(e, 8, o->clone[i].orig - va);
		ol_put(e + 8, 8, o->clone[i].clone - va);
		ol_put(e + 16, 4, str.len);
		rc = buf_add(&str, o->clone[i].path, strlen(o->clone[i].path) + 1);
		ol_put(e + 20, 4, str.len);
		if (rc == 0)
			rc = buf_add(&str, o->clone[i].name, strlen(o->clone[i].name) + 1);
		if (rc == 0)
			rc = buf_add(b, e, sizeof e);
	}
	if (rc == 0 && str.len)
		rc = buf_add(b, str.p, str.len);
	free(str.p);
	return rc ? ol_fail(o->err, -ENOMEM, "out of memory") : 0;
}

/* Give section s new contents (kept alive by the caller until elf_end). */
static int set_section(struct ol_out *o, size_t s, const char *name, struct buf *names,
		       uint32_t type, uint64_t flags, uint64_t va, uint64_t off, void *p, size_t len,
		       uint64_t align, Elf_Type dt)
{
	Elf_Scn *scn = elf_getscn(o->elf->e, s);
	Elf_Data *d;
	GElf_Shdr sh;

	if (scn == NULL || gelf_getshdr(scn, &sh) == NULL)
		return ol_fail(o->err, -EINVAL, "libelf: %s", elf_errmsg(-1));
	d = elf_getdata(scn, NULL);
	if (d == NULL)
		d = elf_newdata(scn);
	if (d == NULL)
		return ol_fail(o->err, -EINVAL, "libelf: %s", elf_errmsg(-1));
	if (name) {
		sh.sh_name = (Elf64_Word)(o->elf->sec[o->elf->shstrndx].sh.sh_size + names->len);
		if (buf_add(names, name, strlen(name) + 1))
			return ol_fail(o->err, -ENOMEM, "out of memory");
		sh.sh_type = type;
		sh.sh_flags = flags;
		sh.sh_addralign = align;
		sh.sh_entsize = 0;
		sh.sh_link = sh.sh_info = 0;
	}
	sh.sh_addr = va;
	sh.sh_offset = off;
	sh.sh_size = len;
	d->d_buf = p;
	d->d_size = len;
	d->d_off = 0;
	d->d_type = dt;
	d->d_align = align ? align : 1;
	d->d_version = EV_CURRENT;
	elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
	if (!gelf_update_shdr(scn, &sh))
		return ol_fail(o->err, -EINVAL, "libelf: %s", elf_errmsg(-1));
	return 0;
}

/* A section's grown contents: old bytes plus added ones (NULL: unchanged). */
static void *grown(struct ol_out *o, size_t s, const void *add, size_t alen, size_t *len)
{
	const struct ol_sec *sc = &o->elf->sec[s];
	size_t old = sc->data ? sc->data->d_size : 0;
	uint8_t *p;

	if (alen == 0)
		return NULL;
	p = malloc(old + alen);
	if (p == NULL)
		return NULL;
	if (old)
		memcpy(p, sc->data->d_buf, old);
	memcpy(p + old, add, alen);
	*len = old + alen;
	return p;
}

struct keep {
	void *p[64];
	size_t n;
};

static void *kept(struct keep *k, void *p)
{
	if (p && k->n < 64)
		k->p[k->n++] = p;
	return p;
}

/* set_segment: the area's PT_LOAD up to end (on a first rewrite a new one
 * in the spare slot, kept in address order) and PT_GNU_EH_FRAME. */
static int set_segment(struct ol_out *o, uint64_t end)
{
	struct ol_elf *elf = o->elf;

	if (o->first) {
		GElf_Phdr load = { .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
				   .p_offset = o->seg_off, .p_vaddr = o->seg_va,
				   .p_paddr = o->seg_va, .p_align = PAGE };
		size_t last = 0;

		memmove(&elf->ph[o->seg], &elf->ph[o->seg + 1],
			(elf->nph - o->seg - 1) * sizeof *elf->ph);
		for (size_t i = 0; i + 1 < elf->nph; i++)
			if (elf->ph[i].p_type == PT_LOAD)
				last = i + 1;
		memmove(&elf->ph[last + 1], &elf->ph[last],
			(elf->nph - 1 - last) * sizeof *elf->ph);
		elf->ph[last] = load;
		o->seg = last;
	}
	elf->ph[o->seg].p_filesz = elf->ph[o->seg].p_memsz = end - o->seg_va;
	for (size_t i = 0; i < elf->nph; i++) {
		if (elf->ph[i].p_type == PT_GNU_EH_FRAME && o->hdr) {
			elf->ph[i].p_offset = o->seg_off + (o->hdr_va - o->seg_va);
			elf->ph[i].p_vaddr = elf->ph[i].p_paddr = o->hdr_va;
			elf->ph[i].p_filesz = elf->ph[i].p_memsz = o->hdr_len;
		}
		if (!gelf_update_phdr(elf->e, (int)i, &elf->ph[i]))
			return ol_fail(o->err, -EINVAL, "libelf: %s", elf_errmsg(-1));
	}
	o->file_end = o->seg_off + (end - o->seg_va);
	return 0;
}

static int write_area(struct ol_out *o, struct buf *names, struct buf *clones)
{
	struct ol_elf *elf = o->elf;
	uint64_t cl_va = up(o->eh_va + o->eh_len, 8);
	size_t s_eh = ol_elf_find(elf, ".eh_frame"), s_hdr = ol_elf_find(elf, ".eh_frame_hdr");
	int rc = build_clones(o, cl_va, clones);
	uint64_t end = cl_va + clones->len;
	uint8_t *anchor = o->anchor;

#define OFF(va) (o->seg_off + ((va) - o->seg_va))
	if (rc == 0 && o->first) {
		memcpy(anchor, ANCHOR_MAGIC, 8);
		ol_put(anchor + 8, 8, cl_va - o->seg_va);
		rc = set_section(o, o->sec_anchor, ".olayout.anchor", names, SHT_PROGBITS,
				 SHF_ALLOC, o->seg_va, o->seg_off, anchor, 16, 8, ELF_T_BYTE);
	} else if (rc == 0) {
		ol_put((uint8_t *)elf->sec[o->sec_anchor].data->d_buf + 8, 8, cl_va - o->seg_va);
		o->dirty[o->sec_anchor] = true;
	}
	if (rc == 0)
		rc = set_section(o, o->sec_text, ".olayout.text", names, SHT_PROGBITS,
				 SHF_ALLOC | SHF_EXECINSTR, o->text_va, OFF(o->text_va), o->text,
				 o->text_end - o->text_va, 64, ELF_T_BYTE);
	if (rc == 0)
		rc = set_section(o, o->sec_rod, ".olayout.rodata", names, SHT_PROGBITS, SHF_ALLOC,
				 o->rod_va, OFF(o->rod_va), o->rod, o->rod_size, 8, ELF_T_BYTE);
	if (rc == 0)
		rc = set_section(o, o->sec_clones, o->first ? ".olayout.clones" : NULL, names,
				 SHT_PROGBITS, SHF_ALLOC, cl_va, OFF(cl_va), clones->p, clones->len, 8,
				 ELF_T_BYTE);
	if (rc == 0 && s_eh && o->frame)
		rc = set_section(o, s_eh, NULL, names, 0, 0, o->eh_va, OFF(o->eh_va), o->frame,
				 o->eh_len, 8, ELF_T_BYTE);
	if (rc == 0 && s_hdr && o->hdr)
		rc = set_section(o, s_hdr, NULL, names, 0, 0, o->hdr_va, OFF(o->hdr_va), o->hdr,
				 o->hdr_len, 4, ELF_T_BYTE);
#undef OFF
	return rc ? rc : set_segment(o, end);
}

/* grow_one: section s (the symbol table, its names, a relocation section)
 * with what the rewrite added to it, if anything. */
static int grow_one(struct ol_out *o, size_t s, struct keep *keep)
{
	struct ol_elf *elf = o->elf;
	const struct ol_sec *sc = &elf->sec[s];
	bool syms = s == elf->symtab || s == elf->sec[elf->symtab].sh.sh_link;
	void *p = NULL;
	size_t len = 0;
	Elf_Type t = ELF_T_BYTE;

	if (s == elf->symtab) {
		p = kept(keep, grown(o, s, o->symadd.p, o->symadd.len, &len));
		t = ELF_T_SYM;
	} else if (syms) {
		p = kept(keep, grown(o, s, o->stradd.p, o->stradd.len, &len));
	} else if (o->radd[s].n) {
		p = kept(keep, grown(o, s, o->radd[s].r, o->radd[s].n * sizeof(Elf64_Rela), &len));
		t = ELF_T_RELA;
	}
	/* NULL with something to add: the copy failed */
	if (p == NULL && ((syms && o->symadd.len) || o->radd[s].n))
		return ol_fail(o->err, -ENOMEM, "out of memory");
	if (p == NULL)
		return 0;
	return set_section(o, s, NULL, NULL, 0, 0, sc->sh.sh_addr, sc->sh.sh_offset, p, len,
			   sc->sh.sh_addralign, t);
}

/* grow_names: the section names with those of the new sections. */
static int grow_names(struct ol_out *o, const struct buf *names, struct keep *keep)
{
	struct ol_elf *elf = o->elf;
	size_t len;
	void *p;

	if (names->len == 0)
		return 0;
	p = kept(keep, grown(o, elf->shstrndx, names->p, names->len, &len));
	return p ? set_section(o, elf->shstrndx, NULL, NULL, 0, 0, 0,
			       elf->sec[elf->shstrndx].sh.sh_offset, p, len, 1, ELF_T_BYTE) :
		   ol_fail(o->err, -ENOMEM, "out of memory");
}

/* place_nonalloc: every non-alloc section after the area (alloc ones keep
 * their place, written again where changed); *off: the end of the last. */
static int place_nonalloc(struct ol_out *o, uint64_t *off)
{
	struct ol_elf *elf = o->elf;

	*off = o->file_end;
	for (size_t s = 1; s < elf->nsec; s++) {
		Elf_Scn *scn = elf_getscn(elf->e, s);
		GElf_Shdr sh;
		Elf_Data *d;

		if (scn == NULL || gelf_getshdr(scn, &sh) == NULL)
			return ol_fail(o->err, -EINVAL, "libelf: %s", elf_errmsg(-1));
		elf_flagshdr(scn, ELF_C_SET, ELF_F_DIRTY);
		if (sh.sh_flags & SHF_ALLOC) {
			if (o->dirty[s] && (d = elf_getdata(scn, NULL)) != NULL)
				elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
			continue;
		}
		if (sh.sh_addralign > 1)
			*off = up(*off, sh.sh_addralign);
		sh.sh_offset = *off;
		if (sh.sh_type != SHT_NOBITS)
			*off += sh.sh_size;
		d = elf_getdata(scn, NULL);
		if (d)
			elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
		if (!gelf_update_shdr(scn, &sh))
			return ol_fail(o->err, -EINVAL, "libelf: %s", elf_errmsg(-1));
	}
	return 0;
}

/* write_file: the section headers at off, then libelf writes the file in
 * the layout given (ELF_F_LAYOUT). */
static int write_file(struct ol_out *o, uint64_t off)
{
	struct ol_elf *elf = o->elf;

	o->eh.e_shoff = up(off, 8);
	elf_flagelf(elf->e, ELF_C_SET, ELF_F_LAYOUT | ELF_F_DIRTY);
	elf_flagphdr(elf->e, ELF_C_SET, ELF_F_DIRTY);
	elf_flagehdr(elf->e, ELF_C_SET, ELF_F_DIRTY);
	if (!gelf_update_ehdr(elf->e, &o->eh) || elf_update(elf->e, ELF_C_WRITE) < 0)
		return ol_fail(o->err, -EIO, "%s: writing the output: %s", elf->path,
			       elf_errmsg(-1));
	return 0;
}

int ol_out_write(struct ol_out *o)
{
	struct buf names = { 0 }, clones = { 0 };
	struct keep keep = { .n = 0 };
	uint64_t off = 0;
	int rc = write_area(o, &names, &clones);

	for (size_t s = 1; rc == 0 && s < o->elf->nsec; s++)
		rc = grow_one(o, s, &keep);
	if (rc == 0)
		rc = grow_names(o, &names, &keep);
	if (rc == 0)
		rc = place_nonalloc(o, &off);
	if (rc == 0)
		rc = write_file(o, off);
	for (size_t i = 0; i < keep.n; i++)
		free(keep.p[i]);
	free(names.p);
	free(clones.p);
	return rc;
}
