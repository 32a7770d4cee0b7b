/*
 * csum.h - the Internet checksum (RFC 1071) over bytes and messages.
 *
 * Sums are 32-bit accumulators of 16-bit big-endian words; fold at the end.
 * A header that holds its own correct checksum sums (and folds) to 0xffff,
 * so xk_csum_fold() of it is 0.
 */
#ifndef XK_CSUM_H
#define XK_CSUM_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"

uint32_t xk_csum_add(uint32_t sum, const void *p, size_t n);	/* n may be odd only for the last piece */
uint32_t xk_csum_msg(uint32_t sum, const msg_t *m, size_t off, size_t len);
/* The ones'-complement of the folded sum: the value to store, in host order. */
uint16_t xk_csum_fold(uint32_t sum);

#endif
