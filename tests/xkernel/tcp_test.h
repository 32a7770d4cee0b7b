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

/* New connections of both hosts offer SACK (on: the default) or not (RTO-only recovery). */
static inline void pair_sack(struct tcp_pair *p, int on)
{
	for (int i = 0; i < 2; i++)
		if (xk_control(tcp_pair_tcp(p, i), XK_TCP_CTL_SET_SACK, &on, sizeof on) < 0)
			tap_bail("cannot set SACK");
}

/* The same as connect_pair, without SACK (nor its tail loss probes). */
static inline void connect_pair_nosack(struct tcp_pair *p)
{
	if (tcp_pair_create(p, NULL) < 0)
		tap_bail("cannot make two hosts");
	pair_sack(p, 0);
	if (tcp_pair_connect(p, PORT) < 0)
		tap_bail("cannot connect two hosts");
}

static inline void push(xk_sess_t *s, size_t n)
{
	if (tcp_pair_push_zeros(s, n) < 0)
		tap_bail("push of %zu bytes failed", n);
}

#endif
