/*
 * ol_quick.h - the most common x86-64 instructions (ALU, mov, lea, push/pop,
 * shifts, imul, movzx/movsx, cmov/setcc, nop, jmp/jcc/call rel) decoded from
 * their bytes, without Capstone: Capstone 4 formats every instruction's text
 * and costs about 3000 instructions per instruction decoded, most of a
 * model's build. The answer must be exactly ol_dis_one's through Capstone;
 * tests/olayout/ol_quick_test.c compares the two on every encoding accepted
 * here. Anything else (other prefixes, FF, SSE, VEX...) is left to Capstone.
 */
#ifndef OL_QUICK_H
#define OL_QUICK_H

#include "ol_code.h"

/* ol_quick: fill out for the instruction at code[0..len) (address addr) as
 * ol_dis_one would; -1 if it is not one of the forms handled here. */
int ol_quick(const uint8_t *code, size_t len, uint64_t addr, struct ol_insn *out);

#endif
