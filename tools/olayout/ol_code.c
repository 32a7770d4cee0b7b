/* ol_code.c - Capstone decoding (see ol_code.h). */
#include "ol_code.h"

#include <string.h>

#include "ol_elf.h"
#include "ol_xlen.h"

int ol_dis_open(struct ol_dis *d)
{
	memset(d, 0, sizeof *d);
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &d->h) != CS_ERR_OK)
		return -1;
	cs_option(d->h, CS_OPT_DETAIL, CS_OPT_ON);
	d->in = cs_malloc(d->h);
	if (d->in == NULL) {
		cs_close(&d->h);
		return -1;
	}
	return 0;
}

void ol_dis_close(struct ol_dis *d)
{
	if (d->in)
		cs_free(d->in, 1);
	cs_close(&d->h);
	d->in = NULL;
	ol_memo_free(&d->memo);
}

/* Where a 4-byte field holding v lies: Capstone 4's offsets are not always
 * right (VEX forms), so check the bytes; 0 if no candidate matches. */
static uint8_t field_at(const uint8_t *code, uint8_t size, uint8_t hint, uint8_t tail,
			uint32_t v)
{
	uint8_t cand[3] = { hint, (uint8_t)(size - 4 - tail), (uint8_t)(size - 4) };

	for (int i = 0; i < 3; i++)
		if (cand[i] > 0 && cand[i] + 4 <= size &&
		    (uint32_t)ol_get(code + cand[i], 4) == v)
			return cand[i];
	return 0;
}

/* A memory operand with a 32-bit displacement. Capstone 4 reports a
 * disp_size of 2 for some legacy-SSE RIP-relative forms, so decide from the
 * addressing: RIP-relative and base-less forms always carry disp32, and a
 * displacement outside int8 cannot be a disp8. */
static bool has_disp32(const cs_x86 *x, const cs_x86_op *op)
{
	return x->encoding.disp_size >= 4 || op->mem.base == X86_REG_RIP ||
	       op->mem.base == X86_REG_INVALID || op->mem.disp != (int8_t)op->mem.disp;
}

/* fields: out from Capstone's answer d->in for code at addr. */
static void fields(const struct ol_dis *d, const uint8_t *code, uint64_t addr,
		   struct ol_insn *out)
{
	const cs_x86 *x = &d->in->detail->x86;

	out->addr = addr;
	out->size = (uint8_t)d->in->size;
	out->call = cs_insn_group(d->h, d->in, X86_GRP_CALL);
	if ((out->call || cs_insn_group(d->h, d->in, X86_GRP_JUMP)) &&
	    x->op_count == 1 && x->operands[0].type == X86_OP_IMM) {
		out->branch = true;
		out->cond = !out->call && d->in->id != X86_INS_JMP;
		out->target = (uint64_t)x->operands[0].imm;
		if (out->size >= 5 && (out->imm_off = field_at(code, out->size,
				x->encoding.imm_offset, 0,
				(uint32_t)(out->target - addr - out->size))) != 0) {
			out->imm_size = 4;
			out->imm_kind = OL_FIELD_PCREL;
			out->imm_target = out->target;
		}
		return;
	}
	for (int i = 0; i < x->op_count; i++) {
		const cs_x86_op *op = &x->operands[i];

		if (op->type == X86_OP_MEM && has_disp32(x, op)) {
			out->disp_off = field_at(code, out->size, x->encoding.disp_offset,
						 x->encoding.imm_size, (uint32_t)op->mem.disp);
			out->disp_size = out->disp_off ? 4 : 0;
			if (out->disp_size == 0)
				continue;
			if (op->mem.base == X86_REG_RIP) {
				out->disp_kind = OL_FIELD_PCREL;
				out->disp_target = addr + out->size + (uint64_t)op->mem.disp;
			} else {
				/* an absolute address, alone or plus registers
				 * (sym(%r14), table(,%rax,8)) */
				out->disp_kind = OL_FIELD_ABS;
				out->disp_target = (uint64_t)op->mem.disp;
				out->table_mem = op->mem.base == X86_REG_INVALID &&
						 op->mem.index != X86_REG_INVALID &&
						 op->mem.scale == 8;
			}
		} else if (op->type == X86_OP_IMM && x->encoding.imm_size >= 4) {
			out->imm_off = x->encoding.imm_offset;
			out->imm_size = x->encoding.imm_size;
			if (out->imm_off == 0 || out->imm_off + out->imm_size > out->size ||
			    ol_get(code + out->imm_off, out->imm_size) !=
			    (out->imm_size == 8 ? (uint64_t)op->imm : (uint32_t)op->imm)) {
				out->imm_size = 0;
				continue;
			}
			out->imm_kind = OL_FIELD_ABS;
			/* the field's own bytes: a 32-bit immediate is an address
			 * below 2 GiB (sign- or zero-extended alike) */
			out->imm_target = x->encoding.imm_size == 4 ?
					  (uint32_t)op->imm : (uint64_t)op->imm;
		}
	}
}

/* addr_free: Capstone's answer d->in holds at any address: no branch or
 * call (a target), no XBEGIN (its fallback address), no operand relative
 * to RIP or EIP. */
static bool addr_free(const struct ol_dis *d)
{
	const cs_x86 *x = &d->in->detail->x86;

	if (cs_insn_group(d->h, d->in, X86_GRP_CALL) || cs_insn_group(d->h, d->in, X86_GRP_JUMP) ||
	    cs_insn_group(d->h, d->in, X86_GRP_BRANCH_RELATIVE) || d->in->id == X86_INS_XBEGIN)
		return false;
	for (int i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_MEM && (x->operands[i].mem.base == X86_REG_RIP ||
							  x->operands[i].mem.base == X86_REG_EIP))
			return false;
	return true;
}

int ol_dis_one(struct ol_dis *d, const uint8_t *code, size_t len, uint64_t addr,
	       struct ol_insn *out)
{
	const uint8_t *p = code;
	size_t n = len;
	uint64_t a = addr;

	if (ol_memo_find(&d->memo, code, len, addr, out) == 0)
		return 0;
	memset(out, 0, sizeof *out);
	if (!cs_disasm_iter(d->h, &p, &n, &a, d->in))
		return ol_xlen(code, len, addr, out);
	fields(d, code, addr, out);
	if (addr_free(d))
		ol_memo_add(&d->memo, code, out);
	return 0;
}

bool ol_insn_field(const struct ol_insn *in, uint64_t va,
		   enum ol_field_kind *kind, int *size, uint64_t *target)
{
	if (in->disp_size && in->disp_kind != OL_FIELD_NONE &&
	    va == in->addr + in->disp_off) {
		*kind = in->disp_kind;
		*size = in->disp_size;
		*target = in->disp_target;
		return true;
	}
	if (in->imm_size && in->imm_kind != OL_FIELD_NONE &&
	    va == in->addr + in->imm_off) {
		*kind = in->imm_kind;
		*size = in->imm_size;
		*target = in->imm_target;
		return true;
	}
	return false;
}
