/* Features of real programs that olayout must carry through a move or a
 * clone (tests/olayout/features.t): thread-local variables (offsets in
 * code, not addresses), a program's own IFUNC (an IRELATIVE relocation whose
 * resolver moves), a computed goto (a table of label addresses), a GOT
 * slot the linker could not relax away, a function with two FDEs,
 * instructions Capstone 4 does not know, data that
 * refers to code with a relocation type olayout does not redo (the code
 * must stay), and with -DDYN an exported function found through .dynsym. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#ifdef DYN
#include <dlfcn.h>
#endif

static __thread int tls_local = 5;
__thread int tls_shared;

__attribute__((noinline)) int tls_bump(int by)
{
	tls_local += by;
	tls_shared += 2 * by;
	return tls_local + tls_shared;
}

__attribute__((noinline)) int exported_sq(int x)
{
	return x * x + 1;
}

/* a second name of the same code: one unit for olayout and mklayout */
int exported_alias(int x) __attribute__((alias("exported_sq")));

static volatile int pick_which;	/* volatile: both implementations stay */
static int pick_a(int x) { return x + 100; }
static int pick_b(int x) { return x + 200; }
static int (*pick_resolve(void))(int)
{
	return pick_which ? pick_b : pick_a;
}
int pick(int x) __attribute__((ifunc("pick_resolve")));

__attribute__((noinline)) int interp(const unsigned char *code)
{
	static void *const ops[] = { &&op_inc, &&op_dbl, &&op_neg, &&op_end };
	int acc = 1;
#define NEXT goto *ops[*code++]
	NEXT;
op_inc: acc++; NEXT;
op_dbl: acc *= 2; NEXT;
op_neg: acc = -acc; NEXT;
op_end: return acc;
#undef NEXT
}

/* Its address is loaded from a GOT slot by an instruction the linker
 * cannot relax (an SSE load): non-PIE slots have no dynamic relocation. */
__attribute__((noinline)) int got_target(int x)
{
	return x * 5 + 2;
}

__attribute__((noinline)) int got_call(int x)
{
	int (*p)(int);

	__asm__("movq got_target@GOTPCREL(%%rip), %%xmm0\n\tmovq %%xmm0, %0" : "=r"(p) : : "xmm0");
	return p(x);
}

/* Instructions Capstone 4 does not decode (a CET shadow-stack op, an
 * AVX-512 mask move), never run: olayout measures them and keeps this
 * function still, and the code after them is decoded in step. */
__attribute__((noinline)) int cet_probe(int x)
{
	if (x == 12345)
		__asm__ volatile("incsspq %%rcx\n\tkmovd %%k0, %%eax" : : : "rcx", "eax");
	return x + 1;
}

/* One function, two FDEs (as glibc's __clone has): a clone needs both. */
__asm__(".text\n"
	".globl two_fde\n"
	".type two_fde, @function\n"
	"two_fde:\n"
	".cfi_startproc\n"
	"	lea 1(%rdi), %eax\n"
	"	jmp 1f\n"
	".cfi_endproc\n"
	".cfi_startproc\n"
	"1:	add $2, %eax\n"
	"	ret\n"
	".cfi_endproc\n"
	".size two_fde, . - two_fde\n");
int two_fde(int x);

/* Reached only through a 64-bit PC-relative word in data (R_X86_64_PC64):
 * olayout must keep it where it is. */
__attribute__((noinline, used)) int pinned_fn(int x)
{
	return x * 7 - 3;
}
__asm__(".section .data.rel.ro,\"aw\"\n"
	".balign 8\n"
	"pinned_off: .quad pinned_fn - pinned_off\n"
	".text\n");
extern const long pinned_off;

int main(int argc, char **argv)
{
	static const unsigned char prog[] = { 0, 1, 1, 0, 2, 1, 0, 3 };
	int (*pf)(int) = (int (*)(int))((const char *)&pinned_off + pinned_off);
	int sum = 0;

	(void)argv;
	for (int i = 0; i < 10; i++)
		sum += tls_bump(i + argc);
	printf("tls %d %d %d two_fde %d cet %d\n", sum, tls_local, tls_shared, two_fde(argc),
	       cet_probe(argc));
	printf("sq %d ifunc %d interp %d pinned %d got %d\n", exported_sq(argc + 3), pick(argc),
	       interp(prog), pf(argc + 1), got_call(argc));
#ifdef DYN
	int (*sq)(int) = (int (*)(int))dlsym(RTLD_DEFAULT, "exported_sq");
	printf("dlsym %d\n", sq ? sq(argc + 6) : -1);
#endif
	return sum % 7;
}
