/*
 * tcp_seq.h - TCP sequence-number arithmetic (RFC 793 section 3.3).
 *
 * Sequence numbers wrap at 2^32; a is "before" b when the signed distance
 * from b to a is negative, which holds for any two numbers less than 2^31
 * apart, as every pair inside one window is.
 */
#ifndef TCP_SEQ_H
#define TCP_SEQ_H

#include <stdbool.h>
#include <stdint.h>

static inline bool tcp_seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline bool tcp_seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

static inline bool tcp_seq_gt(uint32_t a, uint32_t b)
{
	return tcp_seq_lt(b, a);
}

static inline bool tcp_seq_ge(uint32_t a, uint32_t b)
{
	return tcp_seq_le(b, a);
}

static inline uint32_t tcp_seq_max(uint32_t a, uint32_t b)
{
	return tcp_seq_lt(a, b) ? b : a;
}

static inline uint32_t tcp_seq_min(uint32_t a, uint32_t b)
{
	return tcp_seq_lt(a, b) ? a : b;
}

/* lo <= s < hi, in sequence space. */
static inline bool tcp_seq_in(uint32_t s, uint32_t lo, uint32_t hi)
{
	return tcp_seq_le(lo, s) && tcp_seq_lt(s, hi);
}

#endif
