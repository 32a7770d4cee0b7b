/*
 * ol_rel.h - what an x86-64 relocation type means to olayout: which field
 * it patches and how (absolute or PC-relative, 4 or 8 bytes), whether the
 * field holds a code address at all, and whether a new value fits.
 */
#ifndef OL_REL_H
#define OL_REL_H

#include <stdbool.h>
#include <stdint.h>

/* How a field refers to an address. */
enum ol_field_kind {
	OL_FIELD_NONE,
	OL_FIELD_PCREL,		/* rel32 branch or RIP-relative displacement */
	OL_FIELD_ABS,		/* absolute immediate or absolute displacement */
};

/* ol_rel_data_field: the field an address relocation of data (or of DWARF)
 * patches: R_X86_64_64 8 bytes absolute, _32/_32S 4 absolute, _PC32 4
 * PC-relative. False for every other type (olayout does not patch those). */
bool ol_rel_data_field(uint32_t type, enum ol_field_kind *kind, int *size);

/* ol_rel_fits: a 4-byte field of relocation type type can hold v:
 * R_X86_64_32 is zero-extended, every other absolute form (32S, disp32,
 * relaxed GOT loads) sign-extended, PC-relative ones signed. */
bool ol_rel_fits(enum ol_field_kind kind, uint32_t type, uint64_t v);

/* ol_rel_indirect: a relocation type whose field need not equal S + A
 * (GOT, TLS and friends). */
bool ol_rel_indirect(uint32_t type);

/* ol_rel_abs_addr: a relocation type that leaves an absolute address in an
 * immediate or displacement (also a GOT load the linker relaxed to
 * `mov $sym`); other types there (TLS offsets, sizes, GOT offsets, a call
 * the linker rewrote into a TLS sequence) hold constants. */
bool ol_rel_abs_addr(uint32_t type);

/* ol_rel_got_load: a load of a symbol's address through its GOT slot. */
bool ol_rel_got_load(uint32_t type);

/* ol_rel_constant: a data relocation type that holds no code address
 * (TLS offsets, sizes). */
bool ol_rel_constant(uint32_t type);

#endif
