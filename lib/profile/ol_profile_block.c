/*
 * ol_profile_block.c - the `block` entries (version 7): one per basic block
 * of a function built with the plugin's block-ids, its count from the
 * trained run (olayout profile --blocks). Their order (the writer's and the
 * lookups': by function, then id), the lookups the plugin's block order
 * asks (every block of a function; one block) and the writer's text; the
 * parser reads them as a record (ol_profile.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_profile_sort.h"

#include <inttypes.h>
#include <string.h>

int ol_profile_cmp_block(const void *a, const void *b)
{
	const struct ol_profile_block *x = a, *y = b;
	/* a run of one function's entries shares its string (the parser) */
	int c = x->function == y->function ? 0 : strcmp(x->function, y->function);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* The position in the blocks' order of fn's first entry with an id >= id. */
static size_t block_from(const struct ol_profile *p, const char *fn, uint64_t id)
{
	struct ol_profile_block key = {(char *)fn, id, 0};
	return ol_profile_lower_bound(p->blocks, sizeof *p->blocks, p->index->blocks, p->n_blocks,
				      &key, ol_profile_cmp_block);
}

size_t ol_profile_blocks_of(const struct ol_profile *p, const char *fn,
			    const struct ol_profile_block **out, size_t max)
{
	size_t n = 0;
	for (size_t i = block_from(p, fn, 0); i < p->n_blocks; i++, n++) {
		const struct ol_profile_block *b = &p->blocks[p->index->blocks[i]];
		if (strcmp(b->function, fn) != 0)
			break;
		if (n < max)
			out[n] = b;
	}
	return n;
}

bool ol_profile_block_count(const struct ol_profile *p, const char *fn, uint64_t id,
			    uint64_t *count)
{
	size_t i = block_from(p, fn, id);
	const struct ol_profile_block *b = i < p->n_blocks ? &p->blocks[p->index->blocks[i]] : NULL;
	if (!b || b->id != id || strcmp(b->function, fn) != 0)
		return false;
	*count = b->count;
	return true;
}

void ol_profile_print_block(FILE *fp, const struct ol_profile *p, size_t i)
{
	const struct ol_profile_block *b = &p->blocks[i];
	fprintf(fp, "block %s %" PRIu64 " %" PRIu64 "\n", b->function, b->id, b->count);
}
