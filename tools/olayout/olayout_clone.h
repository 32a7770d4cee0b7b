/*
 * olayout_clone.h - header-only runtime API: find the clone olayout made of
 * a function for a path, so a program can bind a path's function pointers
 * to clones. Reads the table .olayout.clones (layout in README.md) through
 * the anchor at the start of olayout's segment; no link dependency.
 *
 *   int (*push)(msg *) = ol_clone_lookup(tcp_push, "tcp_out");
 *
 * Returns fn itself when the program was not rewritten or fn has no clone
 * for path. Define _GNU_SOURCE before the first #include: glibc declares
 * dl_iterate_phdr only then.
 */
#ifndef OLAYOUT_CLONE_H
#define OLAYOUT_CLONE_H

#include <link.h>
#ifndef __USE_GNU
#error "olayout_clone.h: define _GNU_SOURCE before the first #include (dl_iterate_phdr)"
#endif
#include <stdint.h>
#include <string.h>

struct ol_clone_query {
	uintptr_t fn;
	const char *path;
	uintptr_t found;
};

static int ol_clone_scan_(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct ol_clone_query *q = (struct ol_clone_query *)arg;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const unsigned char *seg = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		const unsigned char *tab;
		int64_t off;
		uint64_t n;

		if (ph->p_type != PT_LOAD || ph->p_memsz < 16 || memcmp(seg, "OLAYOUT1", 8) != 0)
			continue;
		memcpy(&off, seg + 8, 8);
		if (off < 16 || (uint64_t)off + 24 > ph->p_memsz)
			continue;
		tab = seg + off;
		if (memcmp(tab, "OLAYOUT-CLONES1", 16) != 0)
			continue;
		memcpy(&n, tab + 16, 8);
		if (n > (ph->p_memsz - (uint64_t)off - 24) / 24)
			continue;
		for (uint64_t k = 0; k < n; k++) {
			const unsigned char *e = tab + 24 + 24 * k;
			int64_t orig, clone;
			uint32_t p;

			memcpy(&orig, e, 8);
			memcpy(&clone, e + 8, 8);
			memcpy(&p, e + 16, 4);
			if ((uintptr_t)(tab + orig) == q->fn &&
			    strcmp((const char *)tab + 24 + 24 * n + p, q->path) == 0) {
				q->found = (uintptr_t)(tab + clone);
				return 1;
			}
		}
	}
	return 0;
}

static inline void *ol_clone_lookup(const void *fn, const char *path)
{
	struct ol_clone_query q = { (uintptr_t)fn, path, 0 };

	dl_iterate_phdr(ol_clone_scan_, &q);
	return q.found ? (void *)q.found : (void *)(uintptr_t)fn;
}

#endif
