/*
 * msg_test.c - the message tool: push/pop without copying, append, truncate,
 * join, break; and its pools: reuse without malloc, outstanding counts.
 */
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

/* One round of what a ping does to its messages: make, push headers, pad, dup, free. */
static void ping_round(msg_pool_t *pool, const uint8_t *data)
{
	msg_t m, d;

	msg_from(pool, &m, data, 1);
	msg_push(&m, 20);
	msg_push(&m, 20);
	msg_append(&m, data, 5);
	msg_push(&m, 14);
	msg_dup(&d, &m);
	msg_push(&d, 8);
	msg_free(&d);
	msg_free(&m);
}

static void pool_test(msg_pool_t *pool, const uint8_t *data)
{
	struct msg_pool_stats st, st2;
	msg_t m, kept;
	uint8_t buf[10];

	msg_pool_stats(pool, &st);
	tap_is_int((long long)st.outstanding, 0, "pool: every buffer and segment array came back");
	ping_round(pool, data);
	msg_pool_stats(pool, &st);
	for (int i = 0; i < 100; i++)
		ping_round(pool, data);
	msg_pool_stats(pool, &st2);
	tap_diag("pool: %llu mallocs after one round, %llu after 101; high water %llu",
		 (unsigned long long)st.mallocs, (unsigned long long)st2.mallocs,
		 (unsigned long long)st2.high_water);
	tap_ok(MSG_POOL_CACHE ? st2.mallocs == st.mallocs : st2.mallocs > st.mallocs,
	       "pool: steady rounds reuse the blocks, no malloc (under ASan: every block from malloc)");
	tap_ok(st2.high_water >= 4 && st2.high_water <= st2.mallocs, "pool: the high-water mark counts the most outstanding");

	msg_from(pool, &kept, data, 10);
	msg_init(&m);
	tap_ok(msg_push(&m, 4) != NULL && msg_join(&m, &kept) == 0 && msg_len(&m) == 14,
	       "a message without a pool allocates from malloc and joins a pooled one");
	msg_pool_stats(pool, &st);
	tap_is_int((long long)st.outstanding, 1, "pool: the joined buffer is out, the emptied tail's array came back");
	msg_dup(&kept, &m);
	msg_free(&m);
	tap_is_int((long long)msg_pool_destroy(pool), 1, "destroying a pool with a buffer outstanding says so");
	tap_ok(msg_len(&kept) == 14 && msg_copyout(&kept, 4, buf, 10) == 0 && memcmp(buf, data, 10) == 0,
	       "the outstanding buffer still reads");
	msg_free(&kept);	/* the pool goes with its last buffer (ASan's leak check sees it) */
}

int main(void)
{
	uint8_t data[3000], *p, hdr[20];
	msg_t m, h, t, d;
	msg_pool_t *pool, *other;
	struct msg_pool_stats st;

	tap_plan(32);
	if (msg_pool_create(&pool) || msg_pool_create(&other))
		tap_bail("msg_pool_create");
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 7 + 1);

	tap_ok(msg_from(pool, &m, data, 100) == 0 && msg_equals(&m, data, 100), "msg_from copies the bytes");
	p = msg_segs(&m)[0].buf ? (uint8_t *)msg_peek(&m, 1) : NULL;
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
	msg_from(pool, &h, data, 3);
	msg_from(other, &t, data + 3, 5);
	msg_join(&h, &t);
	p = msg_peek(&h, 6);
	tap_ok(p && memcmp(p, data, 6) == 0 && msg_equals(&h, data, 8), "peek gathers a split header");
	tap_ok(msg_peek(&h, 9) == NULL, "peek past the end is NULL");
	tap_ok(msg_flatten(&h) && h.nseg == 1 && msg_equals(&h, data, 8), "flatten");

	/* Odd-length segments checksum the same as one flat buffer. */
	msg_free(&h);
	msg_from(pool, &h, data, 7);
	msg_from(pool, &t, data + 7, 12);
	msg_join(&h, &t);
	msg_from(pool, &t, data + 19, 1);
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
	tap_ok(msg_append(&h, data + 2, 3) == 0 && msg_len(&h) == 9 &&
	       (p = msg_peek(&h, 9)) && memcmp(p + 4, data, 5) == 0,
	       "a second append goes into the tailroom of the last buffer");
	msg_truncate(&h, 0);
	tap_ok(msg_len(&h) == 0 && msg_push(&h, 2) != NULL, "truncate to zero keeps it usable");
	msg_free(&h);
	msg_free(&h);
	tap_ok(msg_len(&h) == 0 && h.nseg == 0, "free twice is harmless");
	msg_free(&m);
	msg_free(&t);
	pool_test(pool, data);
	msg_pool_stats(other, &st);
	tap_is_int((long long)st.outstanding, 0,
		   "a buffer joined into another pool's message went back to its own pool");
	tap_is_int((long long)msg_pool_destroy(other), 0, "destroying an emptied pool: nothing outstanding");
	return tap_done();
}
