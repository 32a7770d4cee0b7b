/*
 * wire.h - the in-process wire: a driver that carries Ethernet frames between
 * hosts living in one process, on a virtual clock, so tests and callgrind
 * runs are deterministic.
 *
 *   xk_wire_create(&w, &impair);            seeded impairments (all 0: perfect)
 *   xk_register(h, "wire", xk_wire_init, w); for each host, before its graph
 *   xk_graph_build(h, XK_GRAPH_SUITE("wire"), err, sizeof err);
 *   ... start something (a push) ...
 *   xk_wire_run(w, limit_ns, done, arg);     deliver frames and fire timers
 *
 * The wire is a hub: a frame goes to every other host whose MAC matches the
 * destination (or to all of them for broadcast). Each delivered copy may be
 * dropped, duplicated, or delayed (which reorders it), by a PRNG seeded from
 * impair.seed. Virtual time advances to the next frame or timer, never waits.
 */
#ifndef XK_WIRE_H
#define XK_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drv.h"
#include "xk.h"

typedef struct xk_wire xk_wire_t;

struct xk_wire_impair {
	uint64_t seed;
	unsigned drop_pct;	/* 0..100: frames lost */
	unsigned dup_pct;	/* 0..100: frames delivered twice */
	unsigned reorder_pct;	/* 0..100: frames held back by extra delay */
	uint64_t latency_ns;	/* base one-way delay; 0: the wire's default (10 us in-process, none on IPC) */
};

struct xk_wire_stats {
	uint64_t sent, delivered, dropped, duplicated, reordered;
};

int xk_wire_create(xk_wire_t **wp, const struct xk_wire_impair *impair);
void xk_wire_destroy(xk_wire_t *w);	/* destroy the hosts first */
void xk_wire_set_impair(xk_wire_t *w, const struct xk_wire_impair *impair);
void xk_wire_stats(const xk_wire_t *w, struct xk_wire_stats *st);
uint64_t xk_wire_now(const xk_wire_t *w);

/* The driver's init function: register it as "wire" with arg = the wire. */
int xk_wire_init(xk_proto_t *p, void *arg);

/*
 * Run until done(arg) is true (returns 0), virtual time passes limit_ns from
 * now (-ETIMEDOUT), or nothing is left to happen (-EAGAIN). done may be NULL.
 */
int xk_wire_run(xk_wire_t *w, uint64_t limit_ns, bool (*done)(void *arg), void *arg);
/* Run for ns of virtual time: the clock gets there even when nothing happens. */
void xk_wire_wait(xk_wire_t *w, uint64_t ns);

/* Host h's cycle accounting (drv.h): its port's (its first, if it has several); NULL if none. */
const struct xk_wire_cycles *xk_wire_cycles(const xk_wire_t *w, const xk_host_t *h);

/* Deliver a raw frame to host h's driver now, as if from the wire (malformed-frame tests). */
int xk_wire_inject(xk_wire_t *w, xk_host_t *h, const void *frame, size_t len);

#endif
