/*
 * tcp_app.h - a byte-stream user of TCP, for tests and interop programs: a
 * protocol object placed on tcp in the graph ("tcpapp tcp"), registered
 * with xk_register(h, "tcpapp", xk_tcp_app_init, &app).
 *
 * It connects (tcp_app_connect) or listens (tcp_app_listen) for one
 * connection, sends tx[0..tx_len) in pushes of at most `chunk` bytes as the
 * send buffer frees (tcp_app_pump, called from the host loop's done
 * callback), keeps what arrives in rx (up to rx_cap bytes, counting all),
 * shuts its sending down once everything is pushed (unless keep_open), and
 * closes once both ways have ended. With echo set it pushes every received
 * message back.
 */
#ifndef XK_TCP_APP_H
#define XK_TCP_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xk.h"

struct tcp_app {
	/* in */
	const uint8_t *tx;
	size_t tx_len;
	size_t chunk;		/* 0: 16 KiB */
	uint8_t *rx;
	size_t rx_cap;
	bool keep_open;		/* do not shut down when tx is all pushed */
	bool echo;
	/* out */
	xk_proto_t *proto;
	xk_sess_t *sess;	/* the connection, until closed */
	size_t tx_off;		/* bytes pushed */
	size_t rx_len;		/* bytes received */
	unsigned deliveries;	/* non-empty messages received */
	bool eof;		/* the peer's FIN (or RST) arrived */
	bool shut;		/* we sent FIN */
	bool closed;		/* we closed */
	int err;		/* first push error other than -ENOBUFS */
};

int xk_tcp_app_init(xk_proto_t *p, void *arg);
int tcp_app_connect(struct tcp_app *a, uint32_t ip, uint16_t port);
int tcp_app_listen(struct tcp_app *a, uint16_t port);
/* Push what fits, close when done; returns 0 or a push error. */
int tcp_app_pump(struct tcp_app *a);

#endif
