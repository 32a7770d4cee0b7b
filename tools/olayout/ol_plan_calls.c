/* ol_plan_calls.c - the hot calls between hot units and where each
 * returns (see ol_plan.h): the direct calls (and jumps) the relocations
 * --emit-relocs kept show, one per instruction, weighed by the heat of the
 * code around them. (Indirect calls matched with the profile's edges, the
 * x-kernel's layer crossings, changed BAD's misses by less than their
 * noise: tcpip 858 -> 848, rpc 1024 -> 1026.) */
#include "ol_plan.h"

#include <stdlib.h>

#include "ol_util.h"

struct calls {
	const struct ol_plan *pl;
	struct ol_pcall *c;
	size_t n, cap;
};

/* hot_at: the heat of unit u's code at byte off of it (0: never ran). */
static uint64_t hot_at(const struct ol_pu *pu, uint64_t off)
{
	return pu->chunk ? pu->chunk[off / 16] : pu->heat;
}

static int add(struct calls *c, struct ol_pcall call)
{
	if (ol_grow((void **)&c->c, &c->cap, c->n + 1, sizeof *c->c))
		return -ENOMEM;
	c->c[c->n++] = call;
	return 0;
}

/* direct: relocation r, if it is a call that ran from a hot unit to another's entry. */
static int direct(struct calls *c, const struct ol_rel *r)
{
	const struct ol_model *m = c->pl->m;
	uint64_t t = ol_elf_sym_value(m->elf, r->sym) + (uint64_t)r->addend + 4;
	long u = ol_unit_at(m, r->off), v = ol_unit_at(m, t);
	uint64_t w;

	if ((r->type != R_X86_64_PLT32 && r->type != R_X86_64_PC32) || u < 0 || v < 0 || u == v ||
	    m->unit[v].addr != t || c->pl->pu[u].role == OL_COLD || c->pl->pu[v].role == OL_COLD)
		return 0;
	w = hot_at(&c->pl->pu[u], r->off - m->unit[u].addr);
	return w ? add(c, (struct ol_pcall){ (size_t)u, (size_t)v, r->off + 4 - m->unit[u].addr, w })
		 : 0;
}

int ol_plan_calls(const struct ol_plan *pl, struct ol_pcall **out, size_t *n, struct ol_err *err)
{
	struct calls c = { .pl = pl };
	int rc = 0;

	for (size_t i = 0; i < pl->m->elf->nrel && rc == 0; i++)
		rc = direct(&c, &pl->m->elf->rel[i]);
	if (rc) {
		free(c.c);
		return ol_fail(err, rc, "out of memory");
	}
	*out = c.c;
	*n = c.n;
	return 0;
}
