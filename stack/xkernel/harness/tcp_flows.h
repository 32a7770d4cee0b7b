/*
 * tcp_flows.h - many TCP connections under one user protocol ("tcpflows tcp"),
 * the engine of tcpecho and tcpsend. Register with
 * xk_register(h, "tcpflows", xk_tcp_flows_init, &flows).
 *
 * A server (tcp_flows_listen) takes every connection on its port and echoes
 * what arrives (sink: discards it); when the peer's FIN comes and the echo
 * is sent, it closes. An echo that does not fit the send buffer waits, and
 * the connection stops reading meanwhile (its window closes: back pressure).
 *
 * A client (tcp_flows_connect, once per connection) sends tx[0..tx_len) on
 * each, shuts its sending down, checks that the echo is exactly tx (unless
 * sink), and closes at the peer's FIN. Call tcp_flows_pump from the host
 * loop's done callback: it pushes what the send buffers now take.
 */
#ifndef XK_TCP_FLOWS_H
#define XK_TCP_FLOWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcp.h"
#include "xk.h"

struct tcp_flow;

struct tcp_flows {
	/* in */
	bool sink;			/* server: send nothing back; client: expect nothing */
	const uint8_t *tx;		/* client: what each connection sends */
	size_t tx_len;
	/* out */
	xk_proto_t *proto;
	struct tcp_flow *live;		/* connections not yet finished */
	unsigned opened, finished;	/* connections taken or made; ended and closed */
	unsigned bad;			/* client: echo not exactly tx, or ended early */
	uint64_t bytes_in, bytes_out;	/* data received, pushed */
	int err;			/* first error other than a full send buffer */
};

int xk_tcp_flows_init(xk_proto_t *p, void *arg);
int tcp_flows_listen(struct tcp_flows *f, uint16_t port);
int tcp_flows_connect(struct tcp_flows *f, uint32_t ip, uint16_t port);
/* Push what the send buffers take; returns f->err. */
int tcp_flows_pump(struct tcp_flows *f);
/* The TCP statistics of the host f lives on. */
void tcp_flows_stats(const struct tcp_flows *f, struct xk_tcp_stats *st);

#endif
