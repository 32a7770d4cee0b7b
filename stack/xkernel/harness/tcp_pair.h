/*
 * tcp_pair.h - two hosts on the in-process wire, each with TCP and a
 * tcp_app user above it ("tcp ip/6", "tcpapp tcp"): the test bench of the
 * TCP tests and of TCP programs on the wire. Host i has IP
 * XK_TESTBED_IP(i); app[i] is its user.
 */
#ifndef XK_TCP_PAIR_H
#define XK_TCP_PAIR_H

#include "tcp.h"
#include "tcp_hdr.h"
#include "tcp_app.h"
#include "testbed.h"

struct tcp_pair {
	struct xk_testbed tb;
	struct tcp_app app[2];
	bool (*until)(struct tcp_pair *p);	/* tcp_pair_run's stop condition */
	size_t want_rx;				/* for tcp_pair_got_rx */
};

/* Set p->app[] fields before or after; -errno. */
int tcp_pair_create(struct tcp_pair *p, const struct xk_wire_impair *imp);
/* The same with host i's IP MTU mtu[i] (0: 1500). */
int tcp_pair_create_mtu(struct tcp_pair *p, const struct xk_wire_impair *imp, const uint16_t mtu[2]);
/* Returns the message buffers left outstanding (xk_testbed_destroy): 0 unless one leaked. */
size_t tcp_pair_destroy(struct tcp_pair *p);
/* Run the wire, pumping both apps, until until(p) holds (0), or limit_ns of virtual time pass. */
int tcp_pair_run(struct tcp_pair *p, uint64_t limit_ns, bool (*until)(struct tcp_pair *p));
xk_proto_t *tcp_pair_tcp(struct tcp_pair *p, int i);
void tcp_pair_stats(struct tcp_pair *p, int i, struct xk_tcp_stats *st);
/* Connections of host i in state s. */
unsigned tcp_pair_nstate(struct tcp_pair *p, int i, enum tcp_state s);

/*
 * Host 1 listens on port, host 0 connects; both apps keep the connection
 * open. 0 once the client is ESTABLISHED and the server has its session.
 */
int tcp_pair_connect(struct tcp_pair *p, uint16_t port);
/* A stop condition: host 1 has received at least p->want_rx bytes. */
bool tcp_pair_got_rx(struct tcp_pair *p);
/* Push n (<= 4096) zero bytes on s. */
int tcp_pair_push_zeros(xk_sess_t *s, size_t n);
/* The connection's state (enum tcp_state), or -1. */
int tcp_pair_state(xk_sess_t *s);
/*
 * Deliver to host 1 a TCP segment h with `payload` (<= 1460) zero bytes,
 * as if from IP address src through host 0's MAC, checksums correct:
 * forged and spoofed segments for the tests. 0 or -errno.
 */
int tcp_pair_inject(struct tcp_pair *p, uint32_t src, const struct tcp_hdr *h, size_t payload);

#endif
