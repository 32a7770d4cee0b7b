/*
 * ipcwire.h - the wire on the IPC kernel: each host is a domain, and hosts
 * exchange Ethernet frames as IPC messages (stack/kernel/ipc.h).
 *
 * Host i reaches host j through slot j of its domain's capability table.
 * Two hosts sending to each other never deadlock: host i sends to a host
 * j > i with a blocking Send, and to j < i with IPC_NONBLOCK; a frame that
 * host j < i cannot take yet (after a short retry), or that the impairments
 * delay, waits in the sender's queue and is retried from the host loop,
 * which waits in ipc_receive with a timeout for the next frame or timer.
 *
 *   xk_ipcwire_create(&d, self, index, macs, imp);   in host index's domain
 *   xk_register(h, "wire", xk_ipcwire_init, d);
 *   ... xk_ipcwire_run(d, limit_ns, done, arg) ...
 *   xk_host_destroy(h); xk_ipcwire_destroy(d);
 *
 * The harness's ipcpair.h sets up the usual two hosts.
 */
#ifndef XK_IPCWIRE_H
#define XK_IPCWIRE_H

#include <stdbool.h>
#include <stdint.h>

#include "drv.h"
#include "eth.h"
#include "ipc.h"
#include "wire.h"

#define XK_IPCWIRE_HOSTS	2
#define XK_IPCWIRE_WAIT_NS	(1000ull * 1000 * 1000)	/* longest wait for one message */

typedef struct xk_ipcwire xk_ipcwire_t;

/*
 * Host `index`'s driver in domain self; mac[j] is host j's MAC (where its
 * frames go); imp: impairments (NULL: perfect), seeded differently per host.
 */
int xk_ipcwire_create(xk_ipcwire_t **dp, ipc_domain_t *self, unsigned index,
		      const uint8_t mac[XK_IPCWIRE_HOSTS][XK_ETH_ALEN], const struct xk_wire_impair *imp);
void xk_ipcwire_destroy(xk_ipcwire_t *d);	/* destroy the host first */
/* The driver's init function: register it with arg = the driver. */
int xk_ipcwire_init(xk_proto_t *p, void *arg);

/*
 * Run this host until done(arg) holds (0), limit_ns of real time pass
 * (-ETIMEDOUT), or another host stops it (-ECANCELED). Past limit_ns it
 * still takes, for a moment, the frames the peers offer (what came while
 * this host was blocked in a send or descheduled) before -ETIMEDOUT.
 */
int xk_ipcwire_run(xk_ipcwire_t *d, uint64_t limit_ns, bool (*done)(void *arg), void *arg);
/* Run this host until another host stops it. */
int xk_ipcwire_serve(xk_ipcwire_t *d);
/* Tell every other host to stop. */
void xk_ipcwire_stop_peers(xk_ipcwire_t *d);
/* What this host's side of the wire sent and did to the frames (impairments). */
void xk_ipcwire_stats(const xk_ipcwire_t *d, struct xk_wire_stats *st);
/* The driver's cycle accounting (drv.h), for the ping apps. */
const struct xk_wire_cycles *xk_ipcwire_cycles(const xk_ipcwire_t *d);

#endif
