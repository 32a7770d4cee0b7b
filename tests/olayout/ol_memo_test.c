/*
 * ol_memo_test.c - ol_dis_one's memo (tools/olayout/ol_memo.c) gives
 * Capstone's own answers: every instruction of this program's .text decoded
 * by one ol_dis (its memo filling as it goes) equals the same instruction
 * decoded with an empty memo (Capstone asked); the memo answers most of
 * them; and answers that depend on the address (RIP-relative operands,
 * branches) are never copied to another address.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gelf.h>

#include "ol_code.h"
#include "tap.h"

static bool same_insn(const struct ol_insn *a, const struct ol_insn *b)
{
	return a->addr == b->addr && a->size == b->size && a->branch == b->branch &&
	       a->call == b->call && a->cond == b->cond && a->table_mem == b->table_mem &&
	       a->unknown == b->unknown && a->target == b->target &&
	       a->disp_off == b->disp_off && a->disp_size == b->disp_size &&
	       a->disp_kind == b->disp_kind && a->disp_target == b->disp_target &&
	       a->imm_off == b->imm_off && a->imm_size == b->imm_size &&
	       a->imm_kind == b->imm_kind && a->imm_target == b->imm_target;
}

/* asked: code at addr decoded by Capstone (d's memo emptied first). */
static int asked(struct ol_dis *d, const uint8_t *code, size_t len, uint64_t addr,
		 struct ol_insn *in)
{
	ol_memo_free(&d->memo);
	return ol_dis_one(d, code, len, addr, in);
}

/* sweep: code decoded both ways; the number of instructions, *differ the
 * first address where the answers differ (0: none). */
static size_t sweep(struct ol_dis *memo, struct ol_dis *plain, const uint8_t *code,
		    size_t len, uint64_t addr, uint64_t *differ)
{
	size_t n = 0;

	*differ = 0;
	for (size_t at = 0; at < len;) {
		struct ol_insn a, b;
		int ra = ol_dis_one(memo, code + at, len - at, addr + at, &a);
		int rb = asked(plain, code + at, len - at, addr + at, &b);

		if (ra != rb || (ra == 0 && !same_insn(&a, &b))) {
			*differ = addr + at;
			return n;
		}
		at += ra == 0 ? a.size : 1;
		n++;
	}
	return n;
}

/* at_two: bytes decoded at two addresses by one ol_dis: the second answer
 * (from the memo where it may be) is Capstone's at that address. */
static bool at_two(struct ol_dis *d, struct ol_dis *plain, const uint8_t *b, size_t n,
		   uint64_t a1, uint64_t a2, struct ol_insn *second)
{
	struct ol_insn first, want;

	return ol_dis_one(d, b, n, a1, &first) == 0 && ol_dis_one(d, b, n, a2, second) == 0 &&
	       asked(plain, b, n, a2, &want) == 0 && same_insn(second, &want);
}

static void fixed_cases(struct ol_dis *d, struct ol_dis *plain)
{
	static const uint8_t lea[] = { 0x48, 0x8d, 0x05, 0x10, 0, 0, 0 };	/* lea 0x10(%rip),%rax */
	static const uint8_t je[] = { 0x74, 0x05 };				/* je .+7 */
	static const uint8_t push[] = { 0x55, 0x48, 0x89, 0xe5 };		/* push %rbp; mov %rsp,%rbp */
	struct ol_insn in = { 0 };

	bool ok = at_two(d, plain, lea, sizeof lea, 0x1000, 0x2000, &in);

	tap_ok(ok && in.disp_target == 0x2017,
	       "a RIP-relative lea at a second address refers from there (0x%llx)",
	       (unsigned long long)in.disp_target);
	ok = at_two(d, plain, je, sizeof je, 0x1000, 0x3000, &in);
	tap_ok(ok && in.target == 0x3007, "a je at a second address jumps from there (0x%llx)",
	       (unsigned long long)in.target);
	tap_ok(at_two(d, plain, push, 1, 0x1000, 0x5000, &in) && in.addr == 0x5000,
	       "push %%rbp from the memo, at its new address");
	tap_ok(ol_dis_one(d, push, sizeof push, 0x6000, &in) == 0 && in.size == 1,
	       "push %%rbp followed by more bytes: still one byte");
}

/* text: this program's .text through libelf: its bytes and address. */
static Elf_Data *text(Elf *e, uint64_t *addr)
{
	size_t shstr;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	if (e == NULL || elf_getshdrstrndx(e, &shstr) != 0)
		return NULL;
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		const char *name = gelf_getshdr(scn, &sh) ? elf_strptr(e, shstr, sh.sh_name) : NULL;

		if (name && strcmp(name, ".text") == 0) {
			*addr = sh.sh_addr;
			return elf_getdata(scn, NULL);
		}
	}
	return NULL;
}

int main(void)
{
	struct ol_dis memo, plain;
	int fd = open("/proc/self/exe", O_RDONLY);
	Elf *e;
	Elf_Data *d;
	size_t n;
	uint64_t addr = 0, differ;

	tap_plan(6);
	elf_version(EV_CURRENT);
	e = fd >= 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
	d = text(e, &addr);
	if (d == NULL || ol_dis_open(&memo) || ol_dis_open(&plain))
		tap_bail("no .text in /proc/self/exe, or Capstone does not start");
	n = sweep(&memo, &plain, d->d_buf, d->d_size, addr, &differ);
	tap_ok(differ == 0 && n > 1000, "%zu instructions of .text: the memo's answers are Capstone's",
	       n);
	if (differ)
		tap_diag("first difference at 0x%llx", (unsigned long long)differ);
	tap_ok(memo.memo.nent * 2 < n, "the memo answered most of them (%zu kept of %zu)",
	       memo.memo.nent, n);
	fixed_cases(&memo, &plain);
	ol_dis_close(&memo);
	ol_dis_close(&plain);
	elf_end(e);
	close(fd);
	return tap_done();
}
