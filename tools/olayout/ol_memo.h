/*
 * ol_memo.h - Capstone's answers kept by instruction bytes. A program
 * repeats most of its instructions byte for byte (push %rbp, mov
 * %rsp,%rbp, ret ...), and Capstone 4 spends ~3000 instructions on each
 * decode: an answer for bytes seen before is copied instead of asked again.
 * Only answers that do not depend on the instruction's address are kept
 * (no branch, no RIP-relative operand: ol_dis_one decides from Capstone's
 * detail), so the copy is what Capstone would say at the new address.
 */
#ifndef OL_MEMO_H
#define OL_MEMO_H

#include <stddef.h>
#include <stdint.h>

struct ol_insn;

struct ol_memo_ent;

struct ol_memo {
	struct ol_memo_ent *ent;	/* the answers, in the order kept */
	size_t nent, cap;
	/* hash of the bytes -> ent index + 1 (low half; 0: empty) and the
	 * hash's high half, checked before the entry is read (a cache miss) */
	uint64_t *slot;
	size_t nslot;		/* a power of two, at most half full */
	/* per first two bytes (b0 << 8 | b1): bit L set if kept bytes of
	 * length L >= 2 start with them; per first byte: bit 1 for length 1 */
	uint16_t *lens2;
	uint16_t lens1[256];
};

/* ol_memo_find: the answer kept for an instruction at code[0..len), moved
 * to address addr, into *out; -1 if none (or, never seen, several lengths
 * match: Capstone decides). */
int ol_memo_find(const struct ol_memo *mm, const uint8_t *code, size_t len, uint64_t addr,
		 struct ol_insn *out);

/* ol_memo_add: keep in (decoded from code[0..in->size)); out of memory
 * only means it is not kept. */
void ol_memo_add(struct ol_memo *mm, const uint8_t *code, const struct ol_insn *in);

void ol_memo_free(struct ol_memo *mm);

#endif
