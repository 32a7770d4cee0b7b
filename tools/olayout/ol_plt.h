/*
 * ol_plt.h - the PLT entries of an executable and the symbol each one
 * calls: every `jmp *SLOT(%rip)` in a .plt* section starts the entry that
 * holds it; SLOT's dynamic relocation names the symbol (JUMP_SLOT,
 * GLOB_DAT) or the IFUNC resolver (IRELATIVE). verify checks with it that
 * a call through the PLT lands on the start of its symbol's entry.
 */
#ifndef OL_PLT_H
#define OL_PLT_H

#include "ol_code.h"
#include "ol_elf.h"

struct ol_plt_ent {
	uint64_t addr, size;
	const char *name;	/* the dynamic symbol it calls, or NULL */
	uint64_t resolver;	/* IRELATIVE: the IFUNC's resolver, else 0 */
};

struct ol_plt {
	size_t n;
	struct ol_plt_ent *e;	/* by address */
};

int ol_plt_read(struct ol_plt *p, const struct ol_elf *elf, struct ol_dis *d, struct ol_err *err);
void ol_plt_free(struct ol_plt *p);

/* ol_plt_at: the entry holding va, or NULL. */
const struct ol_plt_ent *ol_plt_at(const struct ol_plt *p, uint64_t va);

/* ol_plt_calls: entry e is the one for symbol sym of elf's .symtab (same
 * name, the version suffix `@...` aside, or the IFUNC's resolver). */
bool ol_plt_calls(const struct ol_plt_ent *e, const struct ol_elf *elf, uint32_t sym);

#endif
