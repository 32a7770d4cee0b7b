/*
 * ol_xlen.h - the length (and RIP-relative displacement) of x86-64
 * instructions Capstone 4 does not decode: VEX and EVEX encodings it lacks
 * (mask-register moves, some AVX-512) and the CET shadow-stack group
 * (0F 01, 0F 1E, 0F AE). Used only where Capstone fails, so a linear sweep
 * stays in step instead of decoding the bytes that follow as garbage.
 */
#ifndef OL_XLEN_H
#define OL_XLEN_H

#include "ol_code.h"

/* ol_xlen: fill out (size, RIP-relative field, unknown = true) for the
 * instruction at code[0..len) (address addr); -1 if not one of these. */
int ol_xlen(const uint8_t *code, size_t len, uint64_t addr, struct ol_insn *out);

#endif
