/* ol_prof_insn.c - `insn` entries: the count of every instruction of the
 * executable that ran, by unit and offset, so that a planner knows which
 * bytes of a unit are hot exactly (DWARF lines give a location's largest
 * count to every copy of it: inlined code, split blocks). Units of an
 * ambiguous name (statics of several files) get none: the planner could
 * not tell them apart. Samples give none: an instruction no sample hit
 * may have run. */
#include "ol_prof.h"

#include <inttypes.h>

int ol_prof_insns(const struct ol_prof *p, FILE *out)
{
	const struct ol_model *m = p->m;

	for (size_t i = 0; !p->sampled && i < p->ninsn; i++) {
		long u = ol_unit_at(m, p->insn[i].addr);
		const char *name = u >= 0 ? m->unit[u].name : NULL;

		if (name && p->insn[i].count && ol_profile_is_symbol(name) &&
		    ol_unit_named(m, name) == u)
			fprintf(out, "insn %s %" PRIu64 " %" PRIu64 "\n", name,
				p->insn[i].addr - m->unit[u].addr, p->insn[i].count);
	}
	return ferror(out) ? -EIO : 0;
}
