/* ol_quick.c - the common x86-64 instructions decoded without Capstone
 * (see ol_quick.h). */
#include "ol_quick.h"

#include <string.h>

#include "ol_elf.h"

/* What follows an opcode byte. */
enum shape {
	Q_NO,		/* not handled here: Capstone decodes it */
	Q_1,		/* the opcode alone (push, pop, ret, leave, int3...) */
	Q_I8,		/* imm8 */
	Q_I32,		/* imm32 (a field) */
	Q_MOVI,		/* mov reg, imm32 (imm64 with REX.W): a field */
	Q_M,		/* ModRM */
	Q_MEM,		/* ModRM with a memory operand only (lea, nop) */
	Q_MI8,		/* ModRM, imm8 */
	Q_MI32,		/* ModRM, imm32 (a field) */
	Q_GRP3,		/* ModRM, then imm8/imm32 for /0 (test), none for the rest */
	Q_J8,		/* jmp/jcc rel8 */
	Q_J32,		/* jmp/jcc rel32 (a field) */
	Q_CALL,		/* call rel32 (a field) */
};

struct form {
	enum shape shape;
	uint8_t regs;	/* the ModRM reg values that are this instruction */
	bool wide;	/* Q_GRP3: imm32, not imm8 */
};

static struct form one_byte(uint8_t op)
{
	static const struct form no = { Q_NO, 0, false };

	if (op < 0x40 && (op & 7) <= 5)	/* add, or, adc, sbb, and, sub, xor, cmp */
		return (struct form){ (op & 7) <= 3 ? Q_M : (op & 7) == 4 ? Q_I8 : Q_I32,
				      0xff, false };
	if ((op >= 0x50 && op <= 0x5f) || (op >= 0x90 && op <= 0x99) || op == 0xc3 ||
	    op == 0xc9 || op == 0xcc || op == 0xf4)
		return (struct form){ Q_1, 0xff, false };
	if (op >= 0x70 && op <= 0x7f)
		return (struct form){ Q_J8, 0xff, false };
	if (op >= 0xb0 && op <= 0xb7)
		return (struct form){ Q_I8, 0xff, false };
	if (op >= 0xb8 && op <= 0xbf)
		return (struct form){ Q_MOVI, 0xff, false };
	if ((op >= 0x84 && op <= 0x8b) || op == 0x63)
		return (struct form){ Q_M, 0xff, false };
	switch (op) {
	case 0x68: case 0xa9: return (struct form){ Q_I32, 0xff, false };
	case 0x6a: case 0xa8: return (struct form){ Q_I8, 0xff, false };
	case 0x69: case 0x81: return (struct form){ Q_MI32, 0xff, false };
	case 0x6b: case 0x80: case 0x83: return (struct form){ Q_MI8, 0xff, false };
	case 0x8d: return (struct form){ Q_MEM, 0xff, false };
	case 0xc0: case 0xc1: return (struct form){ Q_MI8, 0xbf, false };	/* not /6 */
	case 0xd0: case 0xd1: case 0xd2: case 0xd3: return (struct form){ Q_M, 0xbf, false };
	case 0xc6: return (struct form){ Q_MI8, 0x01, false };
	case 0xc7: return (struct form){ Q_MI32, 0x01, false };
	case 0xf6: return (struct form){ Q_GRP3, 0xfd, false };	/* not /1 */
	case 0xf7: return (struct form){ Q_GRP3, 0xfd, true };
	case 0xe8: return (struct form){ Q_CALL, 0xff, false };
	case 0xe9: return (struct form){ Q_J32, 0xff, false };
	case 0xeb: return (struct form){ Q_J8, 0xff, false };
	default: return no;
	}
}

/* After 0F: nop mem (Capstone 4 refuses nop with a register), cmovcc,
 * jcc rel32, setcc, imul, movzx, movsx. */
static struct form two_byte(uint8_t op)
{
	if (op == 0x1f)
		return (struct form){ Q_MEM, 0x01, false };
	if (op >= 0x90 && op <= 0x9f)
		return (struct form){ Q_M, 0x01, false };
	if ((op >= 0x40 && op <= 0x4f) || op == 0xaf || op == 0xb6 || op == 0xb7 ||
	    op == 0xbe || op == 0xbf)
		return (struct form){ Q_M, 0xff, false };
	if (op >= 0x80 && op <= 0x8f)
		return (struct form){ Q_J32, 0xff, false };
	return (struct form){ Q_NO, 0, false };
}

/* The ModRM byte at c[p] and its memory operand: fills the displacement
 * field as ol_dis_one does (disp32 only) and returns the end of the
 * displacement, 0 when the bytes run out. */
static size_t modrm(const uint8_t *c, size_t n, size_t p, uint8_t rex, struct ol_insn *out,
		    bool *rip)
{
	uint8_t mod = c[p] >> 6, rm = c[p] & 7, sib = 0;
	size_t disp;

	p++;
	*rip = false;
	if (mod == 3)
		return p;
	if (rm == 4) {
		if (p >= n)
			return 0;
		sib = c[p++];
	}
	*rip = mod == 0 && rm == 5;
	if (mod == 1)
		disp = 1;
	else if (mod == 2 || *rip || (rm == 4 && mod == 0 && (sib & 7) == 5))
		disp = 4;
	else
		disp = 0;
	if (p + disp > n)
		return 0;
	if (disp == 4) {
		bool nobase = mod == 0 && !*rip;	/* (,index,scale) or absolute */
		uint8_t index = (uint8_t)(((sib >> 3) & 7) | ((rex & 2) << 2));

		out->disp_off = (uint8_t)p;
		out->disp_size = 4;
		out->disp_kind = *rip ? OL_FIELD_PCREL : OL_FIELD_ABS;
		out->disp_target = (uint64_t)(int64_t)(int32_t)ol_get(c + p, 4);
		out->table_mem = nobase && rm == 4 && index != 4 && (sib >> 6) == 3;
	}
	return p + disp;
}

int ol_quick(const uint8_t *c, size_t n, uint64_t addr, struct ol_insn *out)
{
	size_t p = 0, end;
	uint8_t rex = 0, op;
	bool o16 = false, other = false, rip = false, imm32;
	struct form f;
	uint8_t imm = 0;

	while (p < n && p < 4 && (c[p] == 0x66 || c[p] == 0x2e)) {
		o16 |= c[p] == 0x66;
		other = true;
		p++;
	}
	if (p < n && (c[p] & 0xf0) == 0x40)
		rex = c[p++];
	if (p >= n)
		return -1;
	op = c[p++];
	if (op == 0x0f) {
		if (p >= n)
			return -1;
		f = two_byte(c[p++]);
	} else {
		f = one_byte(op);
	}
	if (f.shape == Q_NO)
		return -1;
	if ((f.shape == Q_J8 || f.shape == Q_J32 || f.shape == Q_CALL) && (other || rex))
		return -1;	/* operand-size or REX forms of branches: leave to Capstone */
	memset(out, 0, sizeof *out);
	out->addr = addr;
	end = p;
	switch (f.shape) {
	case Q_1:
		break;
	case Q_I8: case Q_J8:
		imm = 1;
		break;
	case Q_I32: case Q_J32: case Q_CALL:
		imm = 4;
		break;
	case Q_MOVI:
		imm = rex & 8 ? 8 : 4;
		break;
	default:	/* the ModRM forms */
		if (p >= n || !(f.regs >> ((c[p] >> 3) & 7) & 1) ||
		    (f.shape == Q_MEM && c[p] >> 6 == 3))
			return -1;
		imm = f.shape == Q_MI8 ? 1 : f.shape == Q_MI32 ? 4 :
		      f.shape == Q_GRP3 && ((c[p] >> 3) & 7) < 2 ? (f.wide ? 4 : 1) : 0;
		end = modrm(c, n, p, rex, out, &rip);
		if (end == 0)
			return -1;
	}
	imm32 = imm >= 4;
	if ((imm32 && o16) || end + imm > n || end + imm > 15)
		return -1;	/* imm16 forms; out of bytes */
	out->size = (uint8_t)(end + imm);
	if (rip)
		out->disp_target += addr + out->size;
	if (f.shape == Q_J8 || f.shape == Q_J32 || f.shape == Q_CALL) {
		int64_t rel = imm == 1 ? (int8_t)c[end] : (int32_t)ol_get(c + end, 4);

		out->branch = true;
		out->call = f.shape == Q_CALL;
		out->target = addr + out->size + (uint64_t)rel;
		out->imm_kind = imm == 4 ? OL_FIELD_PCREL : OL_FIELD_NONE;
	} else {
		out->imm_kind = imm32 ? OL_FIELD_ABS : OL_FIELD_NONE;
	}
	if (imm32) {
		out->imm_off = (uint8_t)end;
		out->imm_size = imm;
		out->imm_target = out->branch ? out->target : ol_get(c + end, imm);
	}
	return 0;
}
