/* msg_test.c - the message tool: push/pop without copying, append, truncate, join, break. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "csum.h"
#include "msg.h"
#include "tap.h"

static int msg_equals(const msg_t *m, const void *want, size_t n)
{
	uint8_t buf[4096];

	return msg_len(m) == n && n <= sizeof buf && msg_copyout(m, 0, buf, n) == 0 &&
	       memcmp(buf, want, n) == 0;
}

int main(void)
{
	uint8_t data[3000], *p, hdr[20];
	msg_t m, h, t, d;

	tap_plan(23);
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 7 + 1);

	tap_ok(msg_from(&m, data, 100) == 0 && msg_equals(&m, data, 100), "msg_from copies the bytes");
	p = m.seg[0].buf ? (uint8_t *)msg_peek(&m, 1) : NULL;
	tap_ok(msg_push(&m, 20) == (void *)(p - 20), "push uses the headroom in front of the payload");
	tap_is_int(m.nseg, 1, "no new segment for a header that fits");
	memset(msg_peek(&m, 20), 0xaa, 20);
	tap_ok(msg_pop(&m, hdr, 20) == 0 && hdr[0] == 0xaa && hdr[19] == 0xaa, "pop returns the header");
	tap_ok(msg_peek(&m, 1) == p && msg_equals(&m, data, 100), "pop leaves the payload where it was");
	tap_ok(msg_pop(&m, hdr, 101) == -EINVAL && msg_len(&m) == 100, "pop past the end fails, message unchanged");

	tap_ok(msg_dup(&d, &m) == 0 && msg_push(&d, 8) != NULL && d.nseg == 2,
	       "push on a shared buffer chains a new header buffer");
	tap_ok(msg_equals(&m, data, 100), "the original is untouched by the duplicate's header");
	msg_free(&d);

	tap_ok(msg_append(&m, data + 100, 1900) == 0 && msg_equals(&m, data, 2000), "append");
	msg_truncate(&m, 1500);
	tap_ok(msg_equals(&m, data, 1500), "truncate");
	tap_ok(msg_break(&m, &h, 600) == 0 && msg_equals(&h, data, 600) &&
	       msg_equals(&m, data + 600, 900), "break splits without losing bytes");
	tap_ok(msg_join(&h, &m) == 0 && msg_equals(&h, data, 1500) && msg_len(&m) == 0,
	       "join puts them back, the tail is emptied");
	tap_ok(msg_break(&h, &t, 1501) == -EINVAL && msg_len(&h) == 1500, "break past the end fails");

	/* A header spanning segments is gathered: 3 bytes + 5 bytes -> peek 6. */
	msg_free(&h);
	msg_from(&h, data, 3);
	msg_from(&t, data + 3, 5);
	msg_join(&h, &t);
	p = msg_peek(&h, 6);
	tap_ok(p && memcmp(p, data, 6) == 0 && msg_equals(&h, data, 8), "peek gathers a split header");
	tap_ok(msg_peek(&h, 9) == NULL, "peek past the end is NULL");
	tap_ok(msg_flatten(&h) && h.nseg == 1 && msg_equals(&h, data, 8), "flatten");

	/* Odd-length segments checksum the same as one flat buffer. */
	msg_free(&h);
	msg_from(&h, data, 7);
	msg_from(&t, data + 7, 12);
	msg_join(&h, &t);
	msg_from(&t, data + 19, 1);
	msg_join(&h, &t);
	tap_is_int(xk_csum_fold(xk_csum_msg(0, &h, 0, 20)), xk_csum_fold(xk_csum_add(0, data, 20)),
		   "checksum over odd segments equals the flat checksum");
	tap_is_int(xk_csum_fold(xk_csum_add(0, (const uint8_t[]){ 0x45, 0x00, 0x00, 0x73, 0x00, 0x00,
		   0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 }, 20)),
		   0xb861, "checksum of a known IPv4 header (RFC 1071 example value)");
	msg_free(&h);

	/* Empty message: push allocates, append works, free is idempotent. */
	msg_init(&h);
	tap_ok(msg_push(&h, 4) != NULL && msg_len(&h) == 4, "push onto an empty message");
	tap_ok(msg_append(&h, data, 2) == 0 && msg_len(&h) == 6, "append onto it");
	tap_ok(msg_append(&h, data + 2, 3) == 0 && msg_len(&h) == 9 && h.nseg == 2 &&
	       (p = msg_peek(&h, 9)) && memcmp(p + 4, data, 5) == 0,
	       "a second append goes into the tailroom of the first one's buffer");
	msg_truncate(&h, 0);
	tap_ok(msg_len(&h) == 0 && msg_push(&h, 2) != NULL, "truncate to zero keeps it usable");
	msg_free(&h);
	msg_free(&h);
	tap_ok(msg_len(&h) == 0 && h.nseg == 0, "free twice is harmless");
	msg_free(&m);
	msg_free(&t);
	return tap_done();
}
