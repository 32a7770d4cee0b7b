/* tcp_test.h - what the TCP connection tests share: two connected hosts, pushes. */
#ifndef XK_TCP_TEST_H
#define XK_TCP_TEST_H

#include "tap.h"
#include "tcp_pair.h"

#define PORT 7000
#define MS 1000000ull
#define SEC (1000 * MS)

/* Two hosts, connected and established, both apps keeping the connection open. */
static inline void connect_pair(struct tcp_pair *p)
{
	if (tcp_pair_create(p, NULL) < 0 || tcp_pair_connect(p, PORT) < 0)
		tap_bail("cannot make two connected hosts");
}

static inline void push(xk_sess_t *s, size_t n)
{
	if (tcp_pair_push_zeros(s, n) < 0)
		tap_bail("push of %zu bytes failed", n);
}

#endif
