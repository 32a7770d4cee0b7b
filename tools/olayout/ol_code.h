/*
 * ol_code.h - one x86-64 instruction decoded by Capstone, reduced to what
 * the rewriter needs: its length, whether it is a direct branch, and where
 * its displacement / immediate fields lie (the bytes a relocation patches).
 */
#ifndef OL_CODE_H
#define OL_CODE_H

#include <capstone/capstone.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ol_memo.h"
#include "ol_rel.h"

struct ol_insn {
	uint64_t addr;
	uint8_t size;
	bool branch;		/* direct jmp/jcc/call with a target */
	bool call;
	bool cond;		/* a conditional jump (jcc, jrcxz, loop) */
	bool table_mem;		/* memory operand with index*8 and no base */
	bool unknown;		/* not decoded by Capstone: length from ol_xlen */
	uint64_t target;	/* branch target */
	uint8_t disp_off, disp_size;	/* 0 size: none */
	enum ol_field_kind disp_kind;
	uint64_t disp_target;	/* RIP-relative: insn end + disp; else disp */
	uint8_t imm_off, imm_size;
	enum ol_field_kind imm_kind;
	uint64_t imm_target;
};

struct ol_dis {
	csh h;
	cs_insn *in;
	struct ol_memo memo;	/* answers that hold at any address, by bytes */
};

int ol_dis_open(struct ol_dis *d);
void ol_dis_close(struct ol_dis *d);

/* ol_dis_one: decode at code[0..len) (address addr); -1 if undecodable.
 * What Capstone 4 does not know but ol_xlen measures comes back with
 * unknown set. Bytes decoded before come back from d's memo (ol_memo.h). */
int ol_dis_one(struct ol_dis *d, const uint8_t *code, size_t len, uint64_t addr,
	       struct ol_insn *out);

/* ol_insn_field: the field of insn starting at address va: its kind, size and
 * the address it refers to. Returns false if no field starts there. */
bool ol_insn_field(const struct ol_insn *in, uint64_t va,
		   enum ol_field_kind *kind, int *size, uint64_t *target);

#endif
