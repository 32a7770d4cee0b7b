/* ol_xlen.c - fallback instruction lengths (see ol_xlen.h). */
#include "ol_xlen.h"

#include <string.h>

#include "ol_elf.h"

#define MAX_INSN 15

static bool legacy_prefix(uint8_t b)
{
	return b == 0x66 || b == 0x67 || b == 0xf2 || b == 0xf3 || b == 0xf0 || b == 0x2e ||
	       b == 0x36 || b == 0x3e || b == 0x26 || b == 0x64 || b == 0x65;
}

/* Where the opcode byte is and which map it belongs to (1: 0F, 2: 0F38,
 * 3: 0F3A); vex: a VEX/EVEX form. 0 if not an encoding handled here. */
static size_t opcode_at(const uint8_t *c, size_t n, size_t p, int *map, bool *vex)
{
	*vex = p < n && (c[p] == 0xc4 || c[p] == 0xc5 || c[p] == 0x62);
	if (*vex) {
		size_t skip = c[p] == 0xc5 ? 2 : c[p] == 0xc4 ? 3 : 4;

		if (p + skip >= n)
			return 0;
		*map = c[p] == 0xc5 ? 1 : c[p + 1] & (c[p] == 0x62 ? 0x07 : 0x1f);
		return *map >= 1 && *map <= 3 ? p + skip : 0;
	}
	if (p < n && (c[p] & 0xf0) == 0x40)
		p++;	/* REX */
	if (p + 1 >= n || c[p] != 0x0f)
		return 0;
	/* legacy encodings: only the CET group Capstone 4 lacks */
	*map = 1;
	return c[p + 1] == 0x01 || c[p + 1] == 0x1e || c[p + 1] == 0xae ? p + 1 : 0;
}

/* Map-1 opcodes with an 8-bit immediate (pshufd and shifts, cmpps,
 * pinsrw/pextrw, shufps); map 3 always has one, map 2 never. */
static int imm_size(int map, uint8_t op)
{
	if (map == 3)
		return 1;
	return map == 1 && ((op >= 0x70 && op <= 0x73) || op == 0xc2 || op == 0xc4 ||
			    op == 0xc5 || op == 0xc6);
}

/* The ModRM byte at c[p] and what follows it: returns the end of the
 * displacement; *disp_at and *rip describe a RIP-relative one. */
static size_t modrm_end(const uint8_t *c, size_t n, size_t p, size_t *disp_at, bool *rip)
{
	uint8_t mod = c[p] >> 6, rm = c[p] & 7;
	size_t disp = 0;

	p++;
	*rip = mod == 0 && rm == 5;
	if (mod != 3 && rm == 4 && p < n)	/* SIB; base 101 with mod 00: disp32 */
		disp = (c[p++] & 7) == 5 && mod == 0 ? 4 : 0;
	if (mod != 3)
		disp = *rip || mod == 2 ? 4 : mod == 1 ? 1 : disp;
	*disp_at = p;
	return p + disp;
}

int ol_xlen(const uint8_t *c, size_t n, uint64_t addr, struct ol_insn *out)
{
	size_t p = 0, disp_at = 0;
	int map;
	bool vex, rip = false;
	uint8_t op;

	while (p < n && p < 4 && legacy_prefix(c[p]))
		p++;
	p = opcode_at(c, n, p, &map, &vex);
	if (p == 0 || p + 1 >= n)
		return -1;
	op = c[p++];
	/* every opcode here has a ModRM byte but vzeroupper/vzeroall */
	if (!(vex && map == 1 && op == 0x77))
		p = modrm_end(c, n, p, &disp_at, &rip) + (size_t)imm_size(map, op);
	if (p > n || p > MAX_INSN)
		return -1;
	memset(out, 0, sizeof *out);
	out->addr = addr;
	out->size = (uint8_t)p;
	out->unknown = true;
	if (rip) {
		out->disp_off = (uint8_t)disp_at;
		out->disp_size = 4;
		out->disp_kind = OL_FIELD_PCREL;
		out->disp_target = addr + p + (uint64_t)(int64_t)(int32_t)ol_get(c + disp_at, 4);
	}
	return 0;
}
