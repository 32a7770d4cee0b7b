/*
 * ol_prof_copies.c - `copy` entries (--copies): for each row of the DWARF
 * line table (libdw) in a function that ran, the chain of inlined
 * subroutines its address is in (walked down from the function's DIE: each one's
 * DW_AT_call_file and DW_AT_call_line, outermost first) and the row's own
 * location; one entry per function, chain and location, with the largest
 * count of its instructions (0: that copy never ran, although the line may
 * have run in other copies). Each instruction that ran is looked up by its
 * own address, and a row also at its first and last byte: an inlined range
 * may start or end inside a row, and a copy is written as never run only
 * when no instruction of it ran.
 * Rows outside any inlined subroutine give none: the function's own lines
 * are its `line` entries. The function is named as the plugin names it:
 * the symbol up to its first '.' (f.cold, f.isra.0, f.lto_priv.0 are f).
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ol_exe.h"
#include "ol_util.h"

struct copy {
	char *key;	/* "FN SITE... FILE:LINE" */
	uint64_t count;
};

struct copies {
	const struct ol_prof *p;
	struct copy *c;
	size_t n, cap;
	Dwarf_Die cu;
	Dwarf_Die sub;		/* the function of the last row, when has_sub */
	bool has_sub;
	Dwarf_Files *files;	/* the unit's file table (call sites) */
	const char *dir;	/* the unit's directory */
	Dwarf_Addr lo;		/* insn_before's key */
};

/* Appends " FILE:LINE" to buf at *k (false: it does not fit, or the file
   has a character the format cannot hold). */
static bool put_loc(char *buf, size_t len, size_t *k, const char *file, unsigned long line)
{
	if (!file || !line || strpbrk(file, " \t#"))
		return false;
	int n = snprintf(buf + *k, len - *k, " %s:%lu", file, line);
	if (n < 0 || (size_t)n >= len - *k)
		return false;
	*k += (size_t)n;
	return true;
}

/* The call site of the inlined subroutine die into buf at *k (false:
   none, or one the format cannot hold). */
static bool put_site(struct copies *C, Dwarf_Die *die, char *buf, size_t len, size_t *k)
{
	Dwarf_Attribute fa, la;
	Dwarf_Word fi, line;
	if (!C->files || dwarf_formudata(dwarf_attr(die, DW_AT_call_file, &fa), &fi) != 0 ||
	    dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &la), &line) != 0)
		return false;
	const char *file = dwarf_filesrc(C->files, fi, NULL, NULL);
	return put_loc(buf, len, k, file ? ol_prof_short_name(file, C->dir) : NULL,
		       (unsigned long)line);
}

/* The call sites of the inlined subroutines around addr in the function
   die sub, outermost first, into buf at *k; how many (0: none, or one the
   format cannot hold). Walked down from sub by dwarf_haspc, not by
   dwarf_getscopes: on GCC's LTO units (the abstract origins in another
   unit) that finds no scope at all. */
static size_t chain_at(struct copies *C, Dwarf_Die *sub, Dwarf_Addr addr, char *buf, size_t len,
		       size_t *k)
{
	Dwarf_Die die = *sub, child;
	size_t sites = 0;
	while (dwarf_child(&die, &child) == 0) {
		bool in = false;
		do {
			int tag = dwarf_tag(&child);
			if ((tag == DW_TAG_inlined_subroutine || tag == DW_TAG_lexical_block) &&
			    dwarf_haspc(&child, addr) > 0) {
				in = true;
				break;
			}
		} while (dwarf_siblingof(&child, &child) == 0);
		if (!in)
			break;
		if (dwarf_tag(&child) == DW_TAG_inlined_subroutine) {
			if (!put_site(C, &child, buf, len, k))
				return 0;
			sites++;
		}
		die = child;
	}
	return sites;
}

/* The function (DW_TAG_subprogram) of the unit whose code holds addr into
   C->sub, the one before kept when it still does; false: none. */
static bool function_at(struct copies *C, Dwarf_Addr addr)
{
	Dwarf_Die child;
	if (C->has_sub && dwarf_haspc(&C->sub, addr) > 0)
		return true;
	C->has_sub = false;
	if (dwarf_child(&C->cu, &child) != 0)
		return false;
	do
		if (dwarf_tag(&child) == DW_TAG_subprogram && dwarf_haspc(&child, addr) > 0) {
			C->sub = child;
			C->has_sub = true;
			return true;
		}
	while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

/* One entry for the copy of file:line at addr in function fn. */
static int add_copy(struct copies *C, const char *fn, Dwarf_Addr addr, const char *file,
		    unsigned long line, uint64_t count, struct ol_err *err)
{
	char buf[4000];
	size_t k = (size_t)snprintf(buf, sizeof buf, "%.*s", (int)strcspn(fn, "."), fn);
	if (!ol_profile_is_symbol(buf))
		return 0; /* a name the format cannot hold */
	if (!function_at(C, addr) || chain_at(C, &C->sub, addr, buf, sizeof buf, &k) == 0 ||
	    !put_loc(buf, sizeof buf, &k, file, line))
		return 0;
	char *key = strdup(buf);
	if (!key || ol_grow((void **)&C->c, &C->cap, C->n + 1, sizeof *C->c) < 0) {
		free(key);
		return ol_fail(err, -ENOMEM, "%s: out of memory", C->p->exe);
	}
	C->c[C->n++] = (struct copy){key, count};
	return 0;
}

static bool insn_before(const void *arg, size_t i)
{
	const struct copies *C = arg;
	return C->p->insn[i].addr < C->lo;
}

/* The copies of the row [a, b) of file:line in function fn: each
   instruction that ran counts for its own chain (an inlined range may
   start or end inside a row), and the chains at the row's first and last
   byte are written even when nothing of them ran: a copy is never run
   only when no instruction of it ran. */
static int row_copies(struct copies *C, const char *fn, Dwarf_Addr a, Dwarf_Addr b,
		      const char *file, unsigned long line, struct ol_err *err)
{
	const struct ol_prof *p = C->p;
	C->lo = a;
	int rc = add_copy(C, fn, a, file, line, 0, err);
	if (rc == 0 && b - 1 > a)
		rc = add_copy(C, fn, b - 1, file, line, 0, err);
	for (size_t i = ol_lower_bound(p->ninsn, insn_before, C);
	     rc == 0 && i < p->ninsn && p->insn[i].addr < b; i++)
		if (p->insn[i].count)
			rc = add_copy(C, fn, p->insn[i].addr, file, line, p->insn[i].count, err);
	return rc;
}

/* One row: its copies, when its function ran. */
static int add_row(void *arg, const struct ol_prof_row *r, struct ol_err *err)
{
	struct copies *C = arg;
	if (!C->p->fn_ran[r->unit])
		return 0;
	return row_copies(C, C->p->m->unit[r->unit].name, r->lo, r->hi, r->file, r->line, err);
}

static int cu_copies(struct copies *C, struct ol_err *err)
{
	size_t nfiles;
	Dwarf_Attribute attr;
	C->dir = dwarf_formstring(dwarf_attr(&C->cu, DW_AT_comp_dir, &attr));
	C->has_sub = false;
	if (dwarf_getsrcfiles(&C->cu, &C->files, &nfiles) != 0)
		C->files = NULL;
	return ol_prof_rows(C->p, &C->cu, add_row, C, err);
}

static int by_key(const void *x, const void *y)
{
	return strcmp(((const struct copy *)x)->key, ((const struct copy *)y)->key);
}

/* Entries of one key: the largest count (the key freed with the others'). */
static void fold_copy(void *into, const void *from)
{
	struct copy *a = into;
	const struct copy *b = from;
	a->count = b->count > a->count ? b->count : a->count;
}

/* One line per key, with its largest count. */
static void print_copies(struct copies *C, FILE *out)
{
	size_t n = ol_sort_fold(C->c, C->n, sizeof *C->c, by_key, fold_copy);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "copy %s %" PRIu64 "\n", C->c[i].key, C->c[i].count);
}

/* The error for an executable without DWARF: refused, not a profile
   without copy entries that the plugin's copies= refuses later. */
static int no_dwarf(const char *exe, struct ol_err *err)
{
	return ol_fail(err, -EINVAL, "%s: no DWARF (build with -g): no inline chains for --copies",
		       exe);
}

int ol_prof_copies_check(const char *exe, struct ol_err *err)
{
	struct ol_exe x;
	memset(&x, 0, sizeof x);
	int rc = ol_exe_open(&x, exe, err);
	Dwarf *dw = rc == 0 ? dwarf_begin_elf(x.elf.e, DWARF_C_READ, NULL) : NULL;
	if (rc == 0 && !dw)
		rc = no_dwarf(exe, err);
	dwarf_end(dw);
	ol_exe_close(&x);
	return rc;
}

int ol_prof_copies(const struct ol_prof *p, FILE *out, struct ol_err *err)
{
	struct copies C = {.p = p};
	Dwarf *dw = dwarf_begin_elf(p->m->elf->e, DWARF_C_READ, NULL);
	Dwarf_CU *cu = NULL;
	uint8_t type;
	int rc = 0;

	if (!dw)	/* --from-callgrind: no check before a run */
		return no_dwarf(p->exe, err);
	while (rc == 0 && dwarf_get_units(dw, cu, &cu, NULL, &type, &C.cu, NULL) == 0)
		if (type == DW_UT_compile || type == DW_UT_partial)
			rc = cu_copies(&C, err);
	if (rc == 0)
		print_copies(&C, out);
	for (size_t i = 0; i < C.n; i++)
		free(C.c[i].key);
	free(C.c);
	dwarf_end(dw);
	return rc;
}
