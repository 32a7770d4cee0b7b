/* ol_eh.c - .eh_frame and .eh_frame_hdr (see ol_eh.h). */
#include "ol_eh.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ol_elf.h"
#include "ol_util.h"

#define PE_OMIT 0xff
#define PE_PCREL 0x10
#define PE_DATAREL 0x30

/* A bounded reader over the section. */
struct rd {
	const uint8_t *b;
	size_t pos, end;
	bool bad;
};

static uint64_t rd_fixed(struct rd *r, int n)
{
	uint64_t v;

	if (r->bad || r->end - r->pos < (size_t)n) {
		r->bad = true;
		return 0;
	}
	v = ol_get(r->b + r->pos, n);
	r->pos += (size_t)n;
	return v;
}

static uint64_t rd_leb(struct rd *r, bool sign)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t byte;

	do {
		if (r->bad || r->pos >= r->end || shift > 63) {
			r->bad = true;
			return 0;
		}
		byte = r->b[r->pos++];
		v |= (uint64_t)(byte & 0x7f) << shift;
		shift += 7;
	} while (byte & 0x80);
	if (sign && shift < 64 && (byte & 0x40))
		v |= ~(uint64_t)0 << shift;
	return v;
}

static int ol_eh_enc_size(uint8_t enc)
{
	switch (enc & 0x0f) {
	case 0x00: case 0x04: case 0x0c: return 8;
	case 0x03: case 0x0b: return 4;
	case 0x02: case 0x0a: return 2;
	default: return -1;
	}
}

static bool enc_ok(uint8_t enc)
{
	uint8_t app = enc & 0x70;

	return ol_eh_enc_size(enc) > 0 && (app == 0 || app == PE_PCREL);
}

static int64_t sext(uint64_t v, int size, uint8_t enc)
{
	if (!(enc & 0x08) || size == 8)
		return (int64_t)v;
	return size == 4 ? (int64_t)(int32_t)v : (int64_t)(int16_t)v;
}

static int ol_eh_write_ptr(uint8_t *p, uint8_t enc, uint64_t field_addr, uint64_t target)
{
	int size = ol_eh_enc_size(enc);
	uint64_t v = (enc & 0x70) == PE_PCREL ? target - field_addr : target;
	int64_t s = (int64_t)v;

	if (size == 4 && ((enc & 0x08) ? s != (int32_t)s : v != (uint32_t)v))
		return -ERANGE;
	if (size == 2 && ((enc & 0x08) ? s != (int16_t)s : v != (uint16_t)v))
		return -ERANGE;
	ol_put(p, size, v);
	return 0;
}

struct cie {
	uint64_t off;
	uint8_t fde_enc, lsda_enc;
	bool z;
};

struct pstate {
	struct ol_eh *eh;
	struct cie *cie;
	size_t ncie, capcie, capfde, capptr;
	const char *what;
	struct ol_err *err;
};

static int add_ptr(struct pstate *ps, struct rd *r, uint8_t enc, long fde)
{
	struct ol_eh *eh = ps->eh;
	int size = ol_eh_enc_size(enc);
	uint64_t off = r->pos, v;

	if (!enc_ok(enc))
		return ol_fail(ps->err, -EINVAL, "%s: pointer encoding 0x%x not supported",
			       ps->what, enc);
	v = rd_fixed(r, size);
	if (r->bad)
		return ol_fail(ps->err, -EINVAL, "%s: truncated record", ps->what);
	v = (uint64_t)sext(v, size, enc);
	if ((enc & 0x70) == PE_PCREL)
		v += eh->addr + off;
	if (ol_grow((void **)&eh->ptr, &ps->capptr, eh->nptr + 1, sizeof *eh->ptr))
		return -ENOMEM;
	eh->ptr[eh->nptr++] = (struct ol_ehptr){ off, enc, v, fde };
	return 0;
}

static int parse_cie(struct pstate *ps, struct rd *r, uint64_t off)
{
	struct cie c = { .off = off, .fde_enc = 0, .lsda_enc = PE_OMIT };
	uint8_t version = (uint8_t)rd_fixed(r, 1);
	const char *aug = (const char *)r->b + r->pos;
	size_t auglen = strnlen(aug, r->end - r->pos);

	if (r->bad || auglen == r->end - r->pos)
		return ol_fail(ps->err, -EINVAL, "%s: bad CIE at 0x%llx", ps->what,
			       (unsigned long long)off);
	r->pos += auglen + 1;
	if (strstr(aug, "eh"))
		return ol_fail(ps->err, -EINVAL, "%s: CIE augmentation 'eh' not supported",
			       ps->what);
	rd_leb(r, false);
	rd_leb(r, true);
	if (version == 1)
		rd_fixed(r, 1);
	else
		rd_leb(r, false);
	if (aug[0] == 'z') {
		c.z = true;
		rd_leb(r, false);
		for (const char *a = aug + 1; *a && !r->bad; a++) {
			uint8_t enc;
			int rc;

			switch (*a) {
			case 'R':
				c.fde_enc = (uint8_t)rd_fixed(r, 1);
				break;
			case 'L':
				c.lsda_enc = (uint8_t)rd_fixed(r, 1);
				break;
			case 'P':
				enc = (uint8_t)rd_fixed(r, 1);
				rc = add_ptr(ps, r, enc, -1);
				if (rc)
					return rc;
				break;
			case 'S': case 'B': case 'G':
				break;
			default:
				return ol_fail(ps->err, -EINVAL,
					       "%s: CIE augmentation '%c' not supported",
					       ps->what, *a);
			}
		}
	}
	if (r->bad)
		return ol_fail(ps->err, -EINVAL, "%s: bad CIE at 0x%llx", ps->what,
			       (unsigned long long)off);
	if (ol_grow((void **)&ps->cie, &ps->capcie, ps->ncie + 1, sizeof c))
		return -ENOMEM;
	ps->cie[ps->ncie++] = c;
	return 0;
}

static int parse_fde(struct pstate *ps, struct rd *r, uint64_t off, uint64_t len,
		     uint64_t cie_off)
{
	struct ol_eh *eh = ps->eh;
	const struct cie *c = NULL;
	struct ol_fde f = { .off = off, .len = len, .cie_off = cie_off };
	int rc, size;

	for (size_t i = ps->ncie; i-- > 0;)
		if (ps->cie[i].off == cie_off) {
			c = &ps->cie[i];
			break;
		}
	if (c == NULL)
		return ol_fail(ps->err, -EINVAL, "%s: FDE at 0x%llx names no CIE", ps->what,
			       (unsigned long long)off);
	if (ol_grow((void **)&eh->fde, &ps->capfde, eh->nfde + 1, sizeof f))
		return -ENOMEM;
	f.ptr = eh->nptr;
	rc = add_ptr(ps, r, c->fde_enc, (long)eh->nfde);
	if (rc)
		return rc;
	f.pc_begin = eh->ptr[f.ptr].target;
	size = ol_eh_enc_size(c->fde_enc);
	f.pc_range = (uint64_t)sext(rd_fixed(r, size), size, c->fde_enc & 0x0f);
	if (c->z) {
		uint64_t alen = rd_leb(r, false);
		size_t start = r->pos;

		if (c->lsda_enc != PE_OMIT && alen > 0) {
			rc = add_ptr(ps, r, c->lsda_enc, -1);
			if (rc)
				return rc;
		}
		if (alen > r->end - start)
			r->bad = true;
	}
	if (r->bad)
		return ol_fail(ps->err, -EINVAL, "%s: bad FDE at 0x%llx", ps->what,
			       (unsigned long long)off);
	f.nptr = eh->nptr - f.ptr;
	eh->fde[eh->nfde++] = f;
	return 0;
}

static const struct ol_eh *sort_eh;	/* qsort has no context argument */

static int pc_cmp(const void *a, const void *b)
{
	uint64_t x = sort_eh->fde[*(const size_t *)a].pc_begin;
	uint64_t y = sort_eh->fde[*(const size_t *)b].pc_begin;

	return x < y ? -1 : x > y;
}

static int sort_by_pc(struct ol_eh *eh, struct ol_err *err)
{
	eh->by_pc = malloc((eh->nfde ? eh->nfde : 1) * sizeof *eh->by_pc);
	if (eh->by_pc == NULL)
		return ol_fail(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < eh->nfde; i++)
		eh->by_pc[i] = i;
	sort_eh = eh;
	qsort(eh->by_pc, eh->nfde, sizeof *eh->by_pc, pc_cmp);
	sort_eh = NULL;
	return 0;
}

int ol_eh_parse(struct ol_eh *eh, const uint8_t *buf, size_t size, uint64_t addr,
		const char *what, struct ol_err *err)
{
	struct pstate ps = { .eh = eh, .what = what, .err = err };
	size_t pos = 0;
	int rc = 0;

	memset(eh, 0, sizeof *eh);
	eh->addr = addr;
	eh->buf = buf;
	eh->size = size;
	while (rc == 0 && size - pos >= 4) {
		uint64_t len = ol_get(buf + pos, 4);
		struct rd r;
		uint64_t id;

		if (len == 0)
			break;
		if (len == 0xffffffff || len > size - pos - 4 || len < 4) {
			rc = ol_fail(err, -EINVAL, "%s: bad record length at 0x%zx", what, pos);
			break;
		}
		r = (struct rd){ buf, pos + 4, pos + 4 + len, false };
		id = rd_fixed(&r, 4);
		if (id == 0)
			rc = parse_cie(&ps, &r, pos);
		else if (id > pos + 4)
			rc = ol_fail(err, -EINVAL, "%s: bad CIE pointer at 0x%zx", what, pos);
		else
			rc = parse_fde(&ps, &r, pos, len + 4, pos + 4 - id);
		pos += len + 4;
	}
	eh->end = pos;
	free(ps.cie);
	if (rc == 0)
		rc = sort_by_pc(eh, err);
	if (rc)
		ol_eh_free(eh);
	return rc;
}

void ol_eh_free(struct ol_eh *eh)
{
	free(eh->fde);
	free(eh->ptr);
	free(eh->by_pc);
	eh->by_pc = NULL;
	eh->fde = NULL;
	eh->ptr = NULL;
	eh->nfde = eh->nptr = 0;
}

/* The last FDE (by pc_begin) starting at or before pc, as a by_pc index. */
struct pc_key {
	const struct ol_eh *eh;
	uint64_t pc;
};

static bool starts_at_or_before(const void *arg, size_t i)
{
	const struct pc_key *k = arg;

	return k->eh->fde[k->eh->by_pc[i]].pc_begin <= k->pc;
}

static long last_at_or_before(const struct ol_eh *eh, uint64_t pc)
{
	struct pc_key k = { eh, pc };

	return (long)ol_lower_bound(eh->nfde, starts_at_or_before, &k) - 1;
}

long ol_eh_fde_at(const struct ol_eh *eh, uint64_t pc)
{
	/* ranges do not nest in practice: look at the nearest few starts */
	for (long k = last_at_or_before(eh, pc), n = 0; k >= 0 && n < 4; k--, n++) {
		const struct ol_fde *f = &eh->fde[eh->by_pc[k]];

		if (pc - f->pc_begin < f->pc_range)
			return (long)eh->by_pc[k];
	}
	return -1;
}

size_t ol_eh_fdes_in(const struct ol_eh *eh, uint64_t lo, uint64_t hi, size_t *first)
{
	size_t k = lo ? (size_t)(last_at_or_before(eh, lo - 1) + 1) : 0, n = 0;

	while (k + n < eh->nfde && eh->fde[eh->by_pc[k + n]].pc_begin < hi)
		n++;
	*first = k;
	return n;
}

int ol_eh_build(const struct ol_eh *eh, uint64_t new_addr, ol_eh_map_fn map, void *arg,
		const struct ol_eh_copy *copy, size_t ncopy, uint64_t *copy_off,
		uint8_t **out, size_t *outlen, struct ol_err *err)
{
	size_t len = eh->size, pos = eh->end;
	uint8_t *b;

	for (size_t i = 0; i < ncopy; i++)
		len += eh->fde[copy[i].fde].len;
	b = malloc(len ? len : 1);
	if (b == NULL)
		return ol_fail(err, -ENOMEM, "out of memory");
	memcpy(b, eh->buf, eh->end);
	for (size_t i = 0; i < eh->nptr; i++) {
		const struct ol_ehptr *p = &eh->ptr[i];

		if (ol_eh_write_ptr(b + p->off, p->enc, new_addr + p->off,
				    map(arg, p->target)) != 0)
			goto range;
	}
	for (size_t i = 0; i < ncopy; i++) {
		const struct ol_fde *f = &eh->fde[copy[i].fde];

		memcpy(b + pos, eh->buf + f->off, f->len);
		ol_put(b + pos + 4, 4, pos + 4 - f->cie_off);
		for (size_t k = f->ptr; k < f->ptr + f->nptr; k++) {
			const struct ol_ehptr *p = &eh->ptr[k];
			uint64_t at = pos + (p->off - f->off);
			uint64_t t = p->fde >= 0 ? copy[i].pc : map(arg, p->target);

			if (ol_eh_write_ptr(b + at, p->enc, new_addr + at, t) != 0)
				goto range;
		}
		copy_off[i] = pos;
		pos += f->len;
	}
	memcpy(b + pos, eh->buf + eh->end, eh->size - eh->end);
	*out = b;
	*outlen = len;
	return 0;
range:
	free(b);
	return ol_fail(err, -ERANGE, ".eh_frame: a pointer does not fit its encoding");
}

struct hdr_ent {
	int64_t pc, fde;
};

static int hdr_cmp(const void *a, const void *b)
{
	const struct hdr_ent *x = a, *y = b;

	return x->pc < y->pc ? -1 : x->pc > y->pc;
}

int ol_eh_hdr(const struct ol_eh *eh, uint64_t hdr_addr, uint8_t **out, size_t *outlen,
	      struct ol_err *err)
{
	size_t len = 12 + 8 * eh->nfde;
	uint8_t *b = calloc(1, len);
	struct hdr_ent *e = calloc(eh->nfde ? eh->nfde : 1, sizeof *e);

	if (b == NULL || e == NULL) {
		free(b);
		free(e);
		return ol_fail(err, -ENOMEM, "out of memory");
	}
	b[0] = 1;
	b[1] = PE_PCREL | 0x0b;
	b[2] = 0x03;
	b[3] = PE_DATAREL | 0x0b;
	ol_put(b + 4, 4, eh->addr - (hdr_addr + 4));
	ol_put(b + 8, 4, eh->nfde);
	for (size_t i = 0; i < eh->nfde; i++) {
		e[i].pc = (int64_t)(eh->fde[i].pc_begin - hdr_addr);
		e[i].fde = (int64_t)(eh->addr + eh->fde[i].off - hdr_addr);
		if (e[i].pc != (int32_t)e[i].pc || e[i].fde != (int32_t)e[i].fde) {
			free(b);
			free(e);
			return ol_fail(err, -ERANGE, ".eh_frame_hdr: an entry does not fit");
		}
	}
	qsort(e, eh->nfde, sizeof *e, hdr_cmp);
	for (size_t i = 0; i < eh->nfde; i++) {
		ol_put(b + 12 + 8 * i, 4, (uint64_t)e[i].pc);
		ol_put(b + 16 + 8 * i, 4, (uint64_t)e[i].fde);
	}
	free(e);
	*out = b;
	*outlen = len;
	return 0;
}

int ol_eh_hdr_check(const struct ol_eh *eh, const uint8_t *hdr, size_t len,
		    uint64_t hdr_addr, const char *what, struct ol_err *err)
{
	uint64_t n;
	int64_t prev = INT64_MIN;

	if (len < 12 || hdr[0] != 1 || hdr[2] != 0x03 || hdr[3] != (PE_DATAREL | 0x0b))
		return ol_fail(err, -EINVAL, "%s: .eh_frame_hdr: unexpected format", what);
	n = ol_get(hdr + 8, 4);
	if (n > (len - 12) / 8)
		return ol_fail(err, -EINVAL, "%s: .eh_frame_hdr: table truncated", what);
	for (uint64_t i = 0; i < n; i++) {
		int64_t pc = (int32_t)ol_get(hdr + 12 + 8 * i, 4);
		uint64_t fde = hdr_addr + (uint64_t)(int64_t)(int32_t)ol_get(hdr + 16 + 8 * i, 4);
		bool found = false;

		if (pc < prev)
			return ol_fail(err, -EINVAL, "%s: .eh_frame_hdr: table not sorted at %llu",
				       what, (unsigned long long)i);
		prev = pc;
		for (long k = last_at_or_before(eh, hdr_addr + (uint64_t)pc);
		     k >= 0 && !found && eh->fde[eh->by_pc[k]].pc_begin == hdr_addr + (uint64_t)pc; k--)
			found = eh->addr + eh->fde[eh->by_pc[k]].off == fde;
		if (!found)
			return ol_fail(err, -EINVAL,
				       "%s: .eh_frame_hdr: entry %llu names no FDE for 0x%llx",
				       what, (unsigned long long)i,
				       (unsigned long long)(hdr_addr + (uint64_t)pc));
	}
	return 0;
}
