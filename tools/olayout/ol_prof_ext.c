/*
 * ol_prof_ext.c - `external` entries: the code that ran in shared objects.
 * A function's executed instructions are cut into runs wherever two are 32
 * bytes or more apart (so a long function with a few hot spots does not
 * claim every cache set between them): the first run is FN, the next FN.1,
 * FN.2... Each run is ADDR (run-time: callgrind's address + the object's
 * load bias) and SIZE up to the end of its last instruction (its length
 * decoded from the object's file; 1 byte when the file cannot be read).
 * Code outside every symbol (a stripped library's statics, which callgrind
 * names by address) is one nameless function per object whose runs are
 * anon$ADDR, ADDR the run's start in the object's file: they take cache
 * sets like any other code, and the name stays the same from run to run.
 * valgrind's own preload objects are left out: they are not the program's.
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof.h"

#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ol_code.h"

#define RUN_GAP 32

struct ext {
	const char *object;	/* callgrind's path */
	char *name;		/* the function's name, version and recursion marks cut;
				   "" for code outside every symbol */
	uint64_t addr, count;
};

static int by_object_name_addr(const void *x, const void *y)
{
	const struct ext *a = x, *b = y;
	int c = strcmp(a->object, b->object);
	if (c == 0)
		c = strcmp(a->name, b->name);
	return c ? c : (a->addr > b->addr) - (a->addr < b->addr);
}

static bool skipped_object(const char *ob)
{
	return ob[0] != '/' || strncmp(ol_prof_base_name(ob), "vgpreload_", 10) == 0;
}

static const struct ol_prof_bias *bias_of(const struct ol_prof_bias *b, size_t n,
					  const char *ob)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(b[i].path, ob) == 0)
			return &b[i];
	return NULL;
}

/* A shared object's file, to decode the instruction at an address. */
struct object {
	int fd;
	Elf *e;
	struct ol_dis *dis;
};

/* The length of the instruction at svma in o's file, or 1 when unknown. */
static uint64_t insn_len(const struct object *o, uint64_t svma)
{
	GElf_Phdr ph;
	size_t n;
	uint8_t code[16];
	struct ol_insn in;

	if (!o->e || elf_getphdrnum(o->e, &n) != 0)
		return 1;
	for (size_t i = 0; i < n; i++) {
		if (!gelf_getphdr(o->e, (int)i, &ph) || ph.p_type != PT_LOAD ||
		    svma < ph.p_vaddr || svma - ph.p_vaddr >= ph.p_filesz)
			continue;
		ssize_t got = pread(o->fd, code, sizeof code, (off_t)(ph.p_offset + svma - ph.p_vaddr));
		if (got > 0 && ol_dis_one(o->dis, code, (size_t)got, svma, &in) == 0)
			return in.size;
	}
	return 1;
}

static void print_runs(const struct ext *v, size_t n, uint64_t bias, const struct object *o,
		       FILE *out)
{
	unsigned k = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		uint64_t insns = v[i].count;
		while (j < n && v[j].addr - v[j - 1].addr < RUN_GAP)
			insns += v[j++].count;
		char name[512];
		if (!*v[i].name)
			snprintf(name, sizeof name, "anon$%" PRIx64, v[i].addr);
		else if (k)
			snprintf(name, sizeof name, "%s.%u", v[i].name, k);
		else
			snprintf(name, sizeof name, "%s", v[i].name);
		fprintf(out, "external %s %s 0x%" PRIx64 " %" PRIu64 " %" PRIu64 "\n", name,
			ol_prof_base_name(v[i].object), v[i].addr + bias,
			v[j - 1].addr - v[i].addr + insn_len(o, v[j - 1].addr), insns);
		k++;
		i = j;
	}
}

/* The runs of the functions of one object (v[0..n), sorted). */
static void print_object(const struct ext *v, size_t n, uint64_t bias, struct ol_dis *dis,
			 FILE *out)
{
	struct object o = {open(v[0].object, O_RDONLY), NULL, dis};

	if (o.fd >= 0 && elf_version(EV_CURRENT) != EV_NONE)
		o.e = elf_begin(o.fd, ELF_C_READ, NULL);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && strcmp(v[j].name, v[i].name) == 0)
			j++;
		print_runs(v + i, j - i, bias, &o, out);
		i = j;
	}
	if (o.e)
		elf_end(o.e);
	if (o.fd >= 0)
		close(o.fd);
}

/* callgrind's name for code outside every symbol: 0x and its address */
static bool anonymous(const char *fn)
{
	return fn[0] == '0' && fn[1] == 'x' && fn[2] && !fn[2 + strspn(fn + 2, "0123456789abcdef")];
}

/* The name an entry of fn goes under, or NULL when it has none we can write. */
static char *entry_name(const char *fn)
{
	if (anonymous(fn))
		return strdup("");
	return strndup(fn, strcspn(fn, "@'"));
}

int ol_prof_externals(const struct ol_prof *p, const struct ol_prof_bias *b, size_t nb,
		      FILE *out, struct ol_err *err)
{
	const struct ol_cg *cg = p->cg;
	struct ext *v = malloc((cg->ninsn ? cg->ninsn : 1) * sizeof *v);
	size_t n = 0;
	int rc = 0;

	if (!v)
		return ol_fail(err, -ENOMEM, "%s: out of memory", p->exe);
	for (size_t i = 0; rc == 0 && i < cg->ninsn; i++) {
		const struct ol_cg_insn *in = &cg->insn[i];
		const char *ob = cg->names[OL_CG_OB][in->ob];
		if (p->exe_ob[in->ob] || skipped_object(ob) || !bias_of(b, nb, ob))
			continue;
		char *name = entry_name(cg->names[OL_CG_FN][in->fn]);
		if (!name)
			rc = ol_fail(err, -ENOMEM, "%s: out of memory", p->exe);
		else if ((*name && !ol_profile_is_symbol(name)) || strlen(name) > 400)
			free(name);
		else
			v[n++] = (struct ext){ob, name, in->addr, in->count};
	}
	if (rc == 0) {
		qsort(v, n, sizeof *v, by_object_name_addr);
		/* one address named twice (contexts of one function): summed */
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (k && by_object_name_addr(&v[k - 1], &v[i]) == 0) {
				v[k - 1].count += v[i].count;
				free(v[i].name);
			} else
				v[k++] = v[i];
		}
		n = k;
		struct ol_dis dis;
		if (ol_dis_open(&dis) < 0)
			rc = ol_fail(err, -ENOMEM, "%s: cannot start Capstone", p->exe);
		for (size_t i = 0; rc == 0 && i < n;) {
			size_t j = i + 1;
			while (j < n && strcmp(v[j].object, v[i].object) == 0)
				j++;
			print_object(v + i, j - i, bias_of(b, nb, v[i].object)->bias, &dis, out);
			i = j;
		}
		if (rc == 0)
			ol_dis_close(&dis);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	return rc;
}
