/*
 * ol_quick_test.c - ol_quick (tools/olayout/ol_quick.c) against Capstone:
 * every encoding ol_quick accepts must decode to exactly what ol_dis_one
 * gives through Capstone. The encodings: every one- and two-byte opcode,
 * every ModRM byte, with no prefix, 66, 2E, 66 2E and each REX byte; SIB bytes
 * all 256 without prefixes, a set covering each special case (no base, no
 * index, scale 8, rbp/r13 bases) with them; the bytes after them a positive
 * or a negative displacement and immediate; each other legacy prefix (these
 * must be declined, or decoded right). Plus the forms the model meets
 * most must be ol_quick's (else the speed is gone, silently).
 */
#include "ol_code.h"
#include "ol_quick.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>

#define ADDR 0x555555555000ull

static const uint8_t pos[] = { 0x78, 0x56, 0x34, 0x12, 0x21, 0x43, 0x65, 0x07,
			       0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x01 };
static const uint8_t neg[] = { 0x88, 0xa9, 0xcb, 0xed, 0xf0, 0xde, 0xbc, 0x9a,
			       0x99, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0xf2 };

struct count {
	long tried, accepted, wrong;
};

static bool same(const struct ol_insn *a, const struct ol_insn *b)
{
	return a->addr == b->addr && a->size == b->size && a->branch == b->branch &&
	       a->call == b->call && a->table_mem == b->table_mem &&
	       a->unknown == b->unknown && a->target == b->target &&
	       a->disp_off == b->disp_off && a->disp_size == b->disp_size &&
	       a->disp_kind == b->disp_kind && a->disp_target == b->disp_target &&
	       a->imm_off == b->imm_off && a->imm_size == b->imm_size &&
	       a->imm_kind == b->imm_kind && a->imm_target == b->imm_target;
}

static void show(const char *who, int rc, const struct ol_insn *i)
{
	tap_diag("  %s rc %d size %u br %d call %d tab %d unk %d tgt %llx disp %u/%u/%d %llx "
		 "imm %u/%u/%d %llx", who, rc, i->size, i->branch, i->call, i->table_mem,
		 i->unknown, (unsigned long long)i->target, i->disp_off, i->disp_size,
		 i->disp_kind, (unsigned long long)i->disp_target, i->imm_off, i->imm_size,
		 i->imm_kind, (unsigned long long)i->imm_target);
}

/* One encoding: head[0..nh) then the pattern. */
static void one(struct ol_dis *d, const uint8_t *head, size_t nh, struct count *c)
{
	uint8_t buf[32];
	struct ol_insn q, k;
	int rq, rk;

	memcpy(buf, head, nh);
	memcpy(buf + nh, (head[nh - 1] >> 3) & 1 ? neg : pos, sizeof pos);
	c->tried++;
	memset(&q, 0, sizeof q);
	rq = ol_quick(buf, nh + sizeof pos, ADDR, &q);
	if (rq != 0)
		return;
	c->accepted++;
	memset(&k, 0, sizeof k);
	rk = ol_dis_one(d, buf, nh + sizeof pos, ADDR, &k);
	if (rk == 0 && same(&q, &k))
		return;
	if (c->wrong++ < 10) {
		char hex[3 * 20] = "";

		for (size_t i = 0; i < nh + 4; i++)
			snprintf(hex + 3 * i, sizeof hex - 3 * i, "%02x ", buf[i]);
		tap_diag("differs: %s", hex);
		show("quick   ", rq, &q);
		show("capstone", rk, &k);
	}
}

/* Every ModRM (and SIB) byte after head[0..nh). */
static void modrms(struct ol_dis *d, uint8_t *head, size_t nh, bool all_sib, struct count *c)
{
	static const uint8_t sibs[] = { 0x24, 0x25, 0x65, 0xe5, 0xc5, 0xcd, 0xc4, 0x0d, 0x20 };

	for (int m = 0; m < 256; m++) {
		head[nh] = (uint8_t)m;
		if ((m >> 6) != 3 && (m & 7) == 4) {
			for (int s = 0; s < (all_sib ? 256 : (int)sizeof sibs); s++) {
				head[nh + 1] = all_sib ? (uint8_t)s : sibs[s];
				one(d, head, nh + 2, c);
			}
		} else {
			one(d, head, nh + 1, c);
		}
	}
}

static void opcodes(struct ol_dis *d, const uint8_t *pfx, size_t np, int rex, struct count *c)
{
	uint8_t head[16];
	size_t n = np;

	memcpy(head, pfx, np);
	if (rex >= 0)
		head[n++] = (uint8_t)rex;
	for (int map = 0; map < 2; map++)
		for (int op = 0; op < 256; op++) {
			size_t k = n;
			struct ol_insn probe;
			uint8_t tmp[32];

			if (map)
				head[k++] = 0x0f;
			head[k++] = (uint8_t)op;
			bool any = false;

			/* an opcode ol_quick declines whatever follows costs no more */
			for (int m = 0; m < 256 && !any; m++) {
				memcpy(tmp, head, k);
				tmp[k] = (uint8_t)m;
				memcpy(tmp + k + 1, pos, sizeof pos);
				any = ol_quick(tmp, k + 1 + sizeof pos, ADDR, &probe) == 0;
			}
			if (!any)
				continue;
			one(d, head, k, c);	/* the forms without ModRM */
			modrms(d, head, k, np == 0 && rex < 0, c);
		}
}

/* The forms the model meets most, each one of ol_quick's. */
static void common(void)
{
	static const struct { const char *what; uint8_t len, b[10]; } forms[] = {
		{ "mov %rsp,%rbp", 3, { 0x48, 0x89, 0xe5 } },
		{ "mov 0x8(%rdi),%rax", 4, { 0x48, 0x8b, 0x47, 0x08 } },
		{ "lea 0x1234(%rip),%rdi", 7, { 0x48, 0x8d, 0x3d, 0x34, 0x12, 0, 0 } },
		{ "call rel32", 5, { 0xe8, 1, 2, 3, 4 } },
		{ "jmp rel8", 2, { 0xeb, 0x10 } },
		{ "jne rel32", 6, { 0x0f, 0x85, 1, 2, 3, 4 } },
		{ "nopl 0x0(%rax,%rax,1)", 5, { 0x0f, 0x1f, 0x44, 0, 0 } },
		{ "cs nopw 0x0(%rax,%rax,1)", 10, { 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0 } },
		{ "movabs $imm64,%rax", 10, { 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8 } },
		{ "imul $0x1f,%eax,%eax", 3, { 0x6b, 0xc0, 0x1f } },
		{ "sar $0x3,%rax", 4, { 0x48, 0xc1, 0xf8, 0x03 } },
		{ "push %r12", 2, { 0x41, 0x54 } },
		{ "ret", 1, { 0xc3 } },
	};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		struct ol_insn q;
		int rc = ol_quick(forms[i].b, forms[i].len, ADDR, &q);

		tap_ok(rc == 0 && q.size == forms[i].len, "ol_quick decodes %s", forms[i].what);
	}
}

int main(void)
{
	static const uint8_t pfx[][2] = { { 0 }, { 0x66 }, { 0x2e }, { 0x66, 0x2e } };
	static const size_t npfx[] = { 0, 1, 1, 2 };
	struct ol_dis d;

	tap_plan(13 + 4 + 1);
	if (ol_dis_open(&d) != 0)
		tap_bail("cs_open failed");
	d.capstone_only = true;
	common();
	for (size_t p = 0; p < 4; p++) {
		struct count c = { 0, 0, 0 };

		for (int rex = -1; rex < 16; rex++)
			opcodes(&d, pfx[p], npfx[p], rex < 0 ? -1 : 0x40 + rex, &c);
		tap_ok(c.wrong == 0 && c.accepted > 0,
		       "prefix %s: ol_quick accepts %ld of %ld encodings, %ld differ from Capstone",
		       p == 0 ? "none" : p == 1 ? "66" : p == 2 ? "2e" : "66 2e",
		       c.accepted, c.tried, c.wrong);
	}
	/* the other legacy prefixes change what follows: declined, or right */
	{
		static const uint8_t other[] = { 0xf2, 0xf3, 0xf0, 0x67, 0x26, 0x36, 0x3e, 0x64,
						 0x65 };
		struct count c = { 0, 0, 0 };

		for (size_t i = 0; i < sizeof other; i++)
			opcodes(&d, &other[i], 1, -1, &c);
		tap_ok(c.wrong == 0, "other prefixes: ol_quick accepts %ld of %ld encodings, "
		       "%ld differ from Capstone", c.accepted, c.tried, c.wrong);
	}
	ol_dis_close(&d);
	return tap_done();
}
