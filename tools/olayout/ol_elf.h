/*
 * ol_elf.h - an x86-64 executable read through libelf: sections, program
 * headers, the symbol table and the relocations --emit-relocs kept.
 * Everything read from the file is bounds-checked here, so the rest of
 * olayout works on validated tables.
 */
#ifndef OL_ELF_H
#define OL_ELF_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ol_err.h"
#include "ol_rel.h"

struct ol_sec {
	const char *name;
	GElf_Shdr sh;
	Elf_Scn *scn;
	Elf_Data *data;		/* NULL for SHT_NOBITS and empty sections */
};

struct ol_sym {
	const char *name;
	const char *file;	/* the STT_FILE before a local symbol, or NULL */
	GElf_Sym s;
};

/* One kept (non-dynamic) relocation. */
struct ol_rel {
	uint64_t off;		/* vaddr for alloc targets, else section offset */
	int64_t addend;
	uint32_t type;
	uint32_t sym;		/* index into .symtab */
	uint32_t rsec;		/* the SHT_RELA section */
	uint32_t idx;		/* entry index in rsec */
	uint32_t tsec;		/* the section it applies to */
};

struct ol_elf {
	const char *path;
	Elf *e;
	GElf_Ehdr eh;
	size_t nsec;
	struct ol_sec *sec;
	size_t shstrndx;
	size_t nph;
	GElf_Phdr *ph;
	size_t symtab;		/* section index of .symtab */
	size_t nsym;
	struct ol_sym *sym;
	size_t nrel;		/* relocations of alloc sections, sorted by off */
	struct ol_rel *rel;
	bool pie;		/* ET_DYN */
	bool dynamic;		/* has PT_INTERP / .dynamic */
};

/* ol_elf_open: read ELF from fd (kept open by the caller). rdwr opens it
 * for ELF_C_RDWR (the rewriter). */
int ol_elf_open(struct ol_elf *elf, const char *path, int fd, bool rdwr,
		struct ol_err *err);
void ol_elf_close(struct ol_elf *elf);

/* ol_elf_find: the section named name, or 0. */
size_t ol_elf_find(const struct ol_elf *elf, const char *name);

/* ol_elf_sec_at: the alloc section with data holding [va, va+len), or 0. */
size_t ol_elf_sec_at(const struct ol_elf *elf, uint64_t va, uint64_t len);

/* ol_elf_ptr: bytes at vaddr va (len of them in one section), or NULL. */
uint8_t *ol_elf_ptr(const struct ol_elf *elf, uint64_t va, uint64_t len);

/* ol_elf_is_code: va lies in an executable section. */
bool ol_elf_is_code(const struct ol_elf *elf, uint64_t va);

/* ol_elf_rel_at: index of the first relocation with off == va, or -1. */
long ol_elf_rel_at(const struct ol_elf *elf, uint64_t va);

/* ol_elf_rel_from: index of the first relocation with off >= va. */
size_t ol_elf_rel_from(const struct ol_elf *elf, uint64_t va);

/* ol_elf_sym_value: S of a relocation. */
uint64_t ol_elf_sym_value(const struct ol_elf *elf, uint32_t sym);

/* Little-endian field access. */
uint64_t ol_get(const uint8_t *p, int size);
void ol_put(uint8_t *p, int size, uint64_t v);

#endif
