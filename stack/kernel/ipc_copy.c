/*
 * ipc_copy.c - the copy methods of the block-move study and the hybrid copy
 * the kernel uses for message strings (bench/ipc/ measures them).
 */
#include "ipc_copy.h"

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <emmintrin.h>
#endif

void ipc_copy_libc(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
}

#if defined(__x86_64__)

/* n < 16: two moves, maybe overlapping, of the largest size that fits. */
static inline void copy_small(unsigned char *d, const unsigned char *s, size_t n)
{
	if (n >= 8) {
		uint64_t a, b;
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
	} else if (n >= 2) {
		uint16_t a, b;
		memcpy(&a, s, 2);
		memcpy(&b, s + n - 2, 2);
		memcpy(d, &a, 2);
		memcpy(d + n - 2, &b, 2);
	} else if (n == 1) {
		*d = *s;
	}
}

static inline __m128i load16(const unsigned char *s)
{
	return _mm_loadu_si128((const __m128i *)(const void *)s);
}

static inline void store16(unsigned char *d, __m128i v)
{
	_mm_storeu_si128((__m128i *)(void *)d, v);
}

void ipc_copy_movsb(void *dst, const void *src, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

void ipc_copy_unrolled(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (n < 16) {
		copy_small(d, s, n);
		return;
	}
	for (; n >= 64; n -= 64, s += 64, d += 64) {
		__m128i a = load16(s), b = load16(s + 16), c = load16(s + 32), e = load16(s + 48);
		store16(d, a);
		store16(d + 16, b);
		store16(d + 32, c);
		store16(d + 48, e);
		/* Keep GCC from turning the loop back into a memcpy call. */
		__asm__ volatile("" : : : "memory");
	}
	for (; n >= 16; n -= 16, s += 16, d += 16)
		store16(d, load16(s));
	/* The last 1..15 bytes: one 16-byte move ending at the end (total >= 16). */
	if (n)
		store16(d + n - 16, load16(s + n - 16));
}

void ipc_copy_nt(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (n < 64) {		/* too short for a streamed line to pay */
		ipc_copy_unrolled(d, s, n);
		return;
	}
	/* Align the destination to 16 bytes with one ordinary unaligned move. */
	size_t head = (size_t)(-(uintptr_t)d & 15);
	if (head) {
		store16(d, load16(s));
		d += head;
		s += head;
		n -= head;
	}
	for (; n >= 64; n -= 64, s += 64, d += 64) {
		__m128i a = load16(s), b = load16(s + 16), c = load16(s + 32), e = load16(s + 48);
		_mm_stream_si128((__m128i *)(void *)d, a);
		_mm_stream_si128((__m128i *)(void *)(d + 16), b);
		_mm_stream_si128((__m128i *)(void *)(d + 32), c);
		_mm_stream_si128((__m128i *)(void *)(d + 48), e);
	}
	for (; n >= 16; n -= 16, s += 16, d += 16)
		_mm_stream_si128((__m128i *)(void *)d, load16(s));
	/* Tail: an ordinary move ending at the end; it rewrites equal bytes. */
	if (n)
		store16(d + n - 16, load16(s + n - 16));
	_mm_sfence();		/* streamed stores are weakly ordered: publish them */
}

#else /* not x86-64: every method is the C library's */

void ipc_copy_movsb(void *dst, const void *src, size_t n) { memcpy(dst, src, n); }
void ipc_copy_unrolled(void *dst, const void *src, size_t n) { memcpy(dst, src, n); }
void ipc_copy_nt(void *dst, const void *src, size_t n) { memcpy(dst, src, n); }

#endif

/*
 * The hybrid, from the block-move study (warm source, cold destination;
 * bench/results/ipc.md, its "fastest" table): up to 256 bytes a few inline
 * moves beat the call into the C library; from there to 16 KiB the C
 * library's memcpy (which picks AVX or rep movsb itself) is fastest or
 * within the noise of the fastest; from 16 KiB non-temporal stores win, as
 * they skip reading the destination's lines in first (today's
 * no-write-allocate). They leave the string out of the receiver's cache, a
 * cost only a receiver that does not read it soon (a sink) can afford:
 * for one that reads it at once (an echo), ipc_copy_cached keeps it in.
 */
#define IPC_COPY_INLINE_MAX	256
#define IPC_COPY_NT_MIN		(16 * 1024)

void ipc_copy(void *dst, const void *src, size_t n)
{
	if (n < IPC_COPY_NT_MIN)
		ipc_copy_cached(dst, src, n);
	else
		ipc_copy_nt(dst, src, n);
}

void ipc_copy_cached(void *dst, const void *src, size_t n)
{
	if (n <= IPC_COPY_INLINE_MAX)
		ipc_copy_unrolled(dst, src, n);
	else
		memcpy(dst, src, n);
}

const struct ipc_copy_method ipc_copy_methods[] = {
	{ "memcpy", ipc_copy_libc },
	{ "movsb", ipc_copy_movsb },
	{ "unrolled", ipc_copy_unrolled },
	{ "nt", ipc_copy_nt },
	{ "hybrid", ipc_copy },
	{ "cached", ipc_copy_cached },
	{ NULL, NULL },
};
