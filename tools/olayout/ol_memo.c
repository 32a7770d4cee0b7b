/* ol_memo.c - Capstone's answers kept by instruction bytes (see ol_memo.h). */
#include "ol_memo.h"

#include <stdlib.h>
#include <string.h>

#include "ol_code.h"
#include "ol_util.h"

#define BYTES_MAX 15	/* the longest x86 instruction */

struct ol_memo_ent {
	uint8_t bytes[BYTES_MAX];
	struct ol_insn in;
};

/* FNV-1a over the bytes, one byte further per call: a length's hash from
 * the one before. */
static uint64_t hash_step(uint64_t h, uint8_t b)
{
	return (h ^ b) * 1099511628211ull;
}

#define HASH_START 1469598103934665603ull

/* entry: the index + 1 a slot holds (0: empty). */
static uint32_t entry(uint64_t slot)
{
	return (uint32_t)slot;
}

/* slot_of: the slot of bytes[0..n) (hash h): its entry's, or the empty one
 * where it would go. */
static size_t slot_of(const struct ol_memo *mm, const uint8_t *bytes, size_t n, uint64_t h)
{
	size_t mask = mm->nslot - 1, s = (size_t)(h ^ (h >> 29)) & mask;
	uint32_t tag = (uint32_t)(h >> 32);

	for (;; s = (s + 1) & mask) {
		const struct ol_memo_ent *e;

		if (mm->slot[s] == 0)
			return s;
		if ((uint32_t)(mm->slot[s] >> 32) != tag)
			continue;
		e = &mm->ent[entry(mm->slot[s]) - 1];
		if (e->in.size == n && memcmp(e->bytes, bytes, n) == 0)
			return s;
	}
}

static uint64_t hash_of(const uint8_t *bytes, size_t n)
{
	uint64_t h = HASH_START;

	for (size_t i = 0; i < n; i++)
		h = hash_step(h, bytes[i]);
	return h;
}

int ol_memo_find(const struct ol_memo *mm, const uint8_t *code, size_t len, uint64_t addr,
		 struct ol_insn *out)
{
	unsigned lens = len ? mm->lens1[code[0]] : 0;
	uint64_t h = HASH_START;
	uint32_t hit = 0;

	if (len >= 2 && mm->lens2)
		lens |= mm->lens2[code[0] << 8 | code[1]];
	for (size_t n = 1; n <= len && (lens >> n) != 0; n++) {
		h = hash_step(h, code[n - 1]);
		if (!((lens >> n) & 1))
			continue;
		uint32_t i = entry(mm->slot[slot_of(mm, code, n, h)]);

		if (i && hit)
			return -1;	/* two lengths: not one answer */
		if (i)
			hit = i;
	}
	if (!hit)
		return -1;
	*out = mm->ent[hit - 1].in;
	out->addr = addr;
	return 0;
}

/* grow_slots: twice the slots, every entry hashed again. */
static int grow_slots(struct ol_memo *mm)
{
	size_t n = mm->nslot ? mm->nslot * 2 : 4096;
	uint64_t *old = mm->slot;
	size_t nold = mm->nslot;

	mm->slot = calloc(n, sizeof *mm->slot);
	if (mm->slot == NULL) {
		mm->slot = old;
		return -1;
	}
	mm->nslot = n;
	for (size_t s = 0; s < nold; s++) {
		const struct ol_memo_ent *e;

		if (old[s] == 0)
			continue;
		e = &mm->ent[entry(old[s]) - 1];
		mm->slot[slot_of(mm, e->bytes, e->in.size, hash_of(e->bytes, e->in.size))] = old[s];
	}
	free(old);
	return 0;
}

void ol_memo_add(struct ol_memo *mm, const uint8_t *code, const struct ol_insn *in)
{
	uint64_t h;
	size_t s;

	if (in->size == 0 || in->size > BYTES_MAX || mm->nent >= UINT32_MAX - 1 ||
	    (mm->lens2 == NULL && (mm->lens2 = calloc(1u << 16, sizeof *mm->lens2)) == NULL) ||
	    ((mm->nent + 1) * 2 > mm->nslot && grow_slots(mm) != 0) ||
	    ol_grow((void **)&mm->ent, &mm->cap, mm->nent + 1, sizeof *mm->ent) != 0)
		return;
	h = hash_of(code, in->size);
	s = slot_of(mm, code, in->size, h);
	if (mm->slot[s])
		return;		/* kept already */
	memcpy(mm->ent[mm->nent].bytes, code, in->size);
	mm->ent[mm->nent].in = *in;
	mm->slot[s] = (h >> 32) << 32 | (uint32_t)++mm->nent;
	if (in->size == 1)
		mm->lens1[code[0]] |= 1u << 1;
	else
		mm->lens2[code[0] << 8 | code[1]] |= (uint16_t)(1u << in->size);
}

void ol_memo_free(struct ol_memo *mm)
{
	free(mm->ent);
	free(mm->slot);
	free(mm->lens2);
	memset(mm, 0, sizeof *mm);
}
