/* ol_rel.c - relocation types (see ol_rel.h). */
#include "ol_rel.h"

#include <elf.h>

bool ol_rel_data_field(uint32_t type, enum ol_field_kind *kind, int *size)
{
	switch (type) {
	case R_X86_64_64:
		*kind = OL_FIELD_ABS;
		*size = 8;
		return true;
	case R_X86_64_32: case R_X86_64_32S:
		*kind = OL_FIELD_ABS;
		*size = 4;
		return true;
	case R_X86_64_PC32:
		*kind = OL_FIELD_PCREL;
		*size = 4;
		return true;
	default:
		return false;
	}
}

bool ol_rel_fits(enum ol_field_kind kind, uint32_t type, uint64_t v)
{
	if (kind == OL_FIELD_PCREL)
		return (int64_t)v == (int32_t)v;
	return type == R_X86_64_32 ? v <= 0xffffffffu : v <= 0x7fffffffu;
}

bool ol_rel_indirect(uint32_t t)
{
	switch (t) {
	case R_X86_64_GOTPCREL: case R_X86_64_GOTPCRELX: case R_X86_64_REX_GOTPCRELX:
	case R_X86_64_GOTTPOFF: case R_X86_64_TLSGD: case R_X86_64_TLSLD:
	case R_X86_64_DTPOFF32: case R_X86_64_TPOFF32: case R_X86_64_GOTPC32:
	case R_X86_64_GOT32: case R_X86_64_GOTOFF64: case R_X86_64_GOTPC32_TLSDESC:
	case R_X86_64_TLSDESC_CALL: case R_X86_64_NONE: case R_X86_64_SIZE32:
		return true;
	default:
		return false;
	}
}

bool ol_rel_got_load(uint32_t t)
{
	return t == R_X86_64_GOTPCREL || t == R_X86_64_GOTPCRELX || t == R_X86_64_REX_GOTPCRELX;
}

bool ol_rel_abs_addr(uint32_t t)
{
	return t == R_X86_64_64 || t == R_X86_64_32 || t == R_X86_64_32S || ol_rel_got_load(t);
}

bool ol_rel_constant(uint32_t t)
{
	switch (t) {
	case R_X86_64_NONE: case R_X86_64_DTPMOD64: case R_X86_64_DTPOFF64:
	case R_X86_64_TPOFF64: case R_X86_64_DTPOFF32: case R_X86_64_TPOFF32:
	case R_X86_64_SIZE32: case R_X86_64_SIZE64:
		return true;
	default:
		return false;
	}
}
