/*
 * ol_eh.h - .eh_frame records (CIEs, FDEs and their encoded pointers) and
 * the .eh_frame_hdr search table: parsed with bounds checks, rebuilt at a
 * new address with moved targets and extra FDEs for clones.
 */
#ifndef OL_EH_H
#define OL_EH_H

#include <stddef.h>
#include <stdint.h>

#include "ol_err.h"

/* An encoded pointer field inside .eh_frame. */
struct ol_ehptr {
	uint64_t off;		/* offset of the field in the section */
	uint8_t enc;		/* DW_EH_PE_* */
	uint64_t target;	/* the address it encodes */
	long fde;		/* the FDE whose pc_begin it is, or -1 */
};

struct ol_fde {
	uint64_t off;		/* offset of the record */
	uint64_t len;		/* record length including the length field */
	uint64_t cie_off;
	uint64_t pc_begin, pc_range;
	size_t ptr;		/* index of its pc_begin in ptrs */
	size_t nptr;		/* pointers of the record (pc_begin, LSDA) */
};

struct ol_eh {
	uint64_t addr;
	const uint8_t *buf;
	size_t size;
	size_t end;		/* end of the records (before a terminator) */
	size_t nfde;
	struct ol_fde *fde;	/* in section order */
	size_t *by_pc;		/* FDE indexes sorted by pc_begin */
	size_t nptr;
	struct ol_ehptr *ptr;
};

/* ol_eh_parse: parse buf (size bytes at address addr); what names the input. */
int ol_eh_parse(struct ol_eh *eh, const uint8_t *buf, size_t size, uint64_t addr,
		const char *what, struct ol_err *err);
void ol_eh_free(struct ol_eh *eh);

/* ol_eh_fde_at: the FDE whose range holds pc, or -1. */
long ol_eh_fde_at(const struct ol_eh *eh, uint64_t pc);

/* ol_eh_fdes_in: how many FDEs start in [lo, hi); *first receives the
 * by_pc index of the first of them. */
size_t ol_eh_fdes_in(const struct ol_eh *eh, uint64_t lo, uint64_t hi, size_t *first);

/* A copy of FDE fde for a clone at pc. */
struct ol_eh_copy {
	long fde;
	uint64_t pc;
};

/* The new address of a target (a moved function, or the same address). */
typedef uint64_t (*ol_eh_map_fn)(void *arg, uint64_t target);

/*
 * ol_eh_build: the section rebuilt at new_addr: the old records (same
 * offsets, pointers re-encoded through map), then one FDE per copy, then
 * the old terminator. *copy_off receives the offset of each copy.
 */
int ol_eh_build(const struct ol_eh *eh, uint64_t new_addr, ol_eh_map_fn map, void *arg,
		const struct ol_eh_copy *copy, size_t ncopy, uint64_t *copy_off,
		uint8_t **out, size_t *outlen, struct ol_err *err);

/* ol_eh_hdr: a .eh_frame_hdr at hdr_addr for the (rebuilt) frame eh. */
int ol_eh_hdr(const struct ol_eh *eh, uint64_t hdr_addr, uint8_t **out, size_t *outlen,
	      struct ol_err *err);

/* ol_eh_hdr_check: 0 if the hdr table at hdr (len bytes at hdr_addr) is sorted
 * and each entry names an FDE of eh with that pc_begin; else a message. */
int ol_eh_hdr_check(const struct ol_eh *eh, const uint8_t *hdr, size_t len,
		    uint64_t hdr_addr, const char *what, struct ol_err *err);

#endif
