/*
 * tapdrv.h - the TAP driver: the suite on a Linux TAP device, talking to the
 * real Linux stack (usually inside a network namespace made by the test; see
 * tests/xkernel/netns.sh).
 *
 *   xk_tap_open(&t, "xktap0");            attach to the TAP device (xk_tap_create: or make it)
 *   xk_register(h, "tap", xk_tap_init, t);
 *   xk_graph_build(h, XK_GRAPH_SUITE("tap"), err, sizeof err);
 *   xk_tap_run(t, limit_ns, done, arg);   read frames, fire timers, real clock
 */
#ifndef XK_TAPDRV_H
#define XK_TAPDRV_H

#include <stdbool.h>
#include <stdint.h>

#include "drv.h"
#include "xk.h"

typedef struct xk_tap xk_tap_t;

int xk_tap_open(xk_tap_t **tp, const char *ifname);	/* -ENODEV when there is none, -EPERM, ... */
int xk_tap_create(xk_tap_t **tp, const char *ifname);	/* the same, making the device if there is none */
void xk_tap_close(xk_tap_t *t);				/* destroy the host first */
int xk_tap_init(xk_proto_t *p, void *arg);
/* As xk_wire_run, on the real monotonic clock: 0 when done, -ETIMEDOUT at the limit. */
int xk_tap_run(xk_tap_t *t, uint64_t limit_ns, bool (*done)(void *arg), void *arg);
/* The driver's cycle accounting (drv.h), for the ping apps. */
const struct xk_wire_cycles *xk_tap_cycles(const xk_tap_t *t);

#endif
