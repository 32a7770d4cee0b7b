/*
 * ol_output.h - the output executable under construction: the new area
 * (a PT_LOAD segment with .olayout.text, .olayout.rodata, .eh_frame_hdr,
 * .eh_frame, .olayout.clones), edited relocations and symbols, and the
 * final libelf write with every non-alloc section placed after the area.
 */
#ifndef OL_OUTPUT_H
#define OL_OUTPUT_H

#include "ol_elf.h"

struct ol_out;

typedef uint64_t (*ol_out_map_fn)(void *arg, uint64_t addr);

struct ol_out *ol_out_new(void);
void ol_out_free(struct ol_out *o);

/* Find (or create) the area's segment; fails if there is no spare slot. */
int ol_out_begin(struct ol_out *o, struct ol_elf *elf, struct ol_err *err);

/* ol_out_area_start: where a rewrite of elf starts its part of the area
 * (the planner predicts addresses from it); ol_out_text_start: the first
 * unit's address, the area start aligned to align. */
uint64_t ol_out_area_start(const struct ol_elf *elf);
uint64_t ol_out_text_start(struct ol_out *o, uint64_t align);
int ol_out_set_text(struct ol_out *o, uint64_t end);
uint64_t ol_out_rodata_start(const struct ol_out *o);
int ol_out_set_rodata(struct ol_out *o, uint64_t size);
/* Bytes of the new text or rodata at address va, or NULL. */
uint8_t *ol_out_area_ptr(struct ol_out *o, uint64_t va, uint64_t len);

/* Reserve the rebuilt .eh_frame (flen) and .eh_frame_hdr (hlen, 0: none);
 * returns the frame's address. */
uint64_t ol_out_place_eh(struct ol_out *o, uint64_t flen, uint64_t hlen);
uint64_t ol_out_hdr_addr(const struct ol_out *o);
/* Takes ownership of both buffers. */
int ol_out_set_eh(struct ol_out *o, uint8_t *frame, size_t flen, uint8_t *hdr, size_t hlen);

int ol_out_set_rel(struct ol_out *o, uint32_t rsec, uint32_t idx, uint64_t off, int64_t addend);
int ol_out_add_rel(struct ol_out *o, uint32_t rsec, uint64_t off, uint32_t type,
		   uint32_t sym, int64_t addend);
void ol_out_dirty(struct ol_out *o, size_t sec);
int ol_out_add_sym(struct ol_out *o, const char *name, uint64_t value, uint64_t size);
int ol_out_add_clone(struct ol_out *o, uint64_t orig, uint64_t clone, const char *path,
		     const char *name);

/* Symbols, dynamic symbols, entry point, DT_INIT/FINI, dynamic relocation
 * addends, DWARF relocations and the old clone table, through map. */
int ol_out_fix_meta(struct ol_out *o, ol_out_map_fn map, void *arg, const uint64_t *sym_new);

int ol_out_write(struct ol_out *o);

/* The clone table section (see README.md), parsed: for info and verify. */
struct ol_clone_ent {
	uint64_t orig, clone;
	const char *path, *name;
};
/* ol_clone_table: entries of .olayout.clones (malloc'd), 0 if none. */
int ol_clone_table(const struct ol_elf *elf, struct ol_clone_ent **ent, size_t *n,
		   struct ol_err *err);

#endif
