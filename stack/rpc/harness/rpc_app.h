/*
 * rpc_app.h - the RPC suite under the x-kernel harness's echo app
 * (stack/xkernel/harness/app.h): the graph above the TCP/IP suite, the
 * registration for testbed.h's `reg`, and the ping flow (the server's app
 * enables procedure RPC_APP_PROC and echoes each request as the reply, a
 * null call's empty one too; the client's app opens a session to it, counts
 * the replies and checks each call's status: app->failed counts the calls
 * that did not succeed, which the ping harness fails on).
 */
#ifndef RPC_APP_H
#define RPC_APP_H

#include "app.h"
#include "rpc.h"

#define RPC_APP_PROC	1
/* testbed.h's `top` for the suite over IP, the app on select. */
#define RPC_APP_TOP	RPC_GRAPH("ip/253") "app select\n"
/* The same straight over ETH (no IP, no ARP): the client names the server by MAC. */
#define RPC_APP_TOP_ETH	RPC_GRAPH(RPC_ETH_LOWER) "app select\n"

/*
 * testbed.h's `reg`: the suite, boot id 1. The ping flow never restarts a
 * host, and a fixed id keeps the checksums, so callgrind's counts, the
 * same from run to run.
 */
int rpc_app_reg(xk_host_t *h);
/*
 * The same with the boot id from the real-time clock, for hosts that face
 * a real network, where a server outlives its clients (rpcserver, rpcping -t).
 */
int rpc_app_reg_clock(xk_host_t *h);
/*
 * The server's on_recv for RPC_APP_PROC: the app echoes a request with
 * bytes, but leaves an empty message alone (TCP's end of stream), so a null
 * call's null reply is sent here (app->failed counts one not sent now). A test
 * that sets its own on_recv on the server calls it from there.
 */
void rpc_app_serve_null(struct xk_app *app, xk_sess_t *lls, const msg_t *m);
/*
 * xk_ping_open_fn: server (if not NULL) enables RPC_APP_PROC (on_recv:
 * rpc_app_serve_null); client (if not NULL) opens *s (on_recv: each call's
 * end checked, app->failed counts those whose status was not 0). An app
 * whose on_recv is already set keeps it.
 */
int rpc_app_open(struct xk_app *server, struct xk_app *client, uint32_t server_ip, xk_sess_t **s);
/*
 * The same over RPC_APP_TOP_ETH, to the MAC of the testbed host with
 * server_ip (testbed.c: 02:00:00:00:00 and the address's last byte), or of
 * the TAP host with server_ip (rpcserver and pingtap.c: 02:00:00:00:77 and
 * the last byte): over ETH there is no ARP to ask.
 */
int rpc_app_open_eth(struct xk_app *server, struct xk_app *client, uint32_t server_ip, xk_sess_t **s);
int rpc_app_open_eth_tap(struct xk_app *server, struct xk_app *client, uint32_t server_ip,
			 xk_sess_t **s);

#endif
