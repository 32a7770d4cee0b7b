/*
 * event.h - the event manager: one-shot timers on a host's clock.
 *
 * The clock is whatever the host loop says: xk_events_advance(ev, now) sets
 * the time and runs every event due by then, in deadline order (ties in the
 * order they were scheduled), so tests on a virtual clock are deterministic.
 * A host loop waits at most until xk_events_next() before advancing again.
 *
 * Events are owned by their users (embed a struct xk_event in a session);
 * the manager only links them. An event's function may schedule events,
 * including itself.
 */
#ifndef XK_EVENT_H
#define XK_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#define XK_NEVER	UINT64_MAX

typedef struct xk_events xk_events_t;
typedef void (*xk_event_fn)(void *arg);

struct xk_event {
	struct xk_event *next;
	uint64_t when;		/* deadline, ns on the host clock */
	uint64_t seq;		/* order among equal deadlines */
	xk_event_fn fn;
	void *arg;
	bool pending;
};

int xk_events_create(xk_events_t **evp);
void xk_events_destroy(xk_events_t *ev);	/* pending events are just forgotten */
uint64_t xk_events_now(const xk_events_t *ev);
uint64_t xk_events_next(const xk_events_t *ev);	/* earliest deadline, or XK_NEVER */
/* Set the clock to now (never backwards) and run what is due; returns how many ran. */
unsigned xk_events_advance(xk_events_t *ev, uint64_t now);

void xk_event_init(struct xk_event *e, xk_event_fn fn, void *arg);
/* (Re)schedule e to run delay_ns from now; an already pending e is moved. */
void xk_event_schedule(xk_events_t *ev, struct xk_event *e, uint64_t delay_ns);
/* Unschedule e if pending; returns true if it was. */
bool xk_event_cancel(xk_events_t *ev, struct xk_event *e);

#endif
