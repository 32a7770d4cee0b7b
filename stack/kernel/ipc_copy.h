/*
 * ipc_copy.h - the kernel's string copy: the best method for each size
 * (the EROS paper's hybrid copy), chosen from the block-move study in
 * bench/ipc/. The methods are exported so the study measures the same code.
 *
 * Every method has memcpy's contract: dst and src do not overlap, any
 * alignment, any n (0 included). Off x86-64 every method is plain memcpy.
 */
#ifndef IPC_COPY_H
#define IPC_COPY_H

#include <stddef.h>

typedef void (*ipc_copy_fn)(void *dst, const void *src, size_t n);

void ipc_copy_libc(void *dst, const void *src, size_t n);	/* the C library's memcpy */
void ipc_copy_movsb(void *dst, const void *src, size_t n);	/* rep movsb */
void ipc_copy_unrolled(void *dst, const void *src, size_t n);	/* 64 bytes a turn, 16-byte moves */
void ipc_copy_nt(void *dst, const void *src, size_t n);	/* non-temporal stores, then sfence */

/* The hybrid: the fastest method for n into a cold destination, by the
 * study's thresholds; long strings bypass the cache (for a sink). */
void ipc_copy(void *dst, const void *src, size_t n);
/* The same up to 16 KiB, then memcpy: the string stays in the cache, for a
 * receiver that reads it at once. */
void ipc_copy_cached(void *dst, const void *src, size_t n);

/* The copy for a receiver that reads the string soon (!sink) or not. */
static inline void ipc_copy_for(void *dst, const void *src, size_t n, unsigned sink)
{
	if (sink)
		ipc_copy(dst, src, n);
	else
		ipc_copy_cached(dst, src, n);
}

/* The methods by name, for the study and the tests; NULL-terminated. */
struct ipc_copy_method {
	const char *name;
	ipc_copy_fn fn;
};
extern const struct ipc_copy_method ipc_copy_methods[];

#endif
