/* event.c - one-shot timers in a list sorted by (deadline, schedule order). */
#include <errno.h>
#include <stdlib.h>

#include "event.h"

struct xk_events {
	struct xk_event *head;
	uint64_t now;
	uint64_t seq;
};

int xk_events_create(xk_events_t **evp)
{
	*evp = calloc(1, sizeof **evp);
	return *evp ? 0 : -ENOMEM;
}

void xk_events_destroy(xk_events_t *ev)
{
	for (struct xk_event *e = ev ? ev->head : NULL; e; e = e->next)
		e->pending = false;
	free(ev);
}

uint64_t xk_events_now(const xk_events_t *ev)
{
	return ev->now;
}

uint64_t xk_events_next(const xk_events_t *ev)
{
	return ev->head ? ev->head->when : XK_NEVER;
}

void xk_event_init(struct xk_event *e, xk_event_fn fn, void *arg)
{
	*e = (struct xk_event){ .fn = fn, .arg = arg };
}

bool xk_event_cancel(xk_events_t *ev, struct xk_event *e)
{
	if (!e->pending)
		return false;
	for (struct xk_event **pp = &ev->head; *pp; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	e->pending = false;
	e->next = NULL;
	return true;
}

void xk_event_schedule(xk_events_t *ev, struct xk_event *e, uint64_t delay_ns)
{
	struct xk_event **pp = &ev->head;

	xk_event_cancel(ev, e);
	e->when = delay_ns > XK_NEVER - ev->now ? XK_NEVER - 1 : ev->now + delay_ns;
	e->seq = ev->seq++;
	while (*pp && (*pp)->when <= e->when)
		pp = &(*pp)->next;
	e->next = *pp;
	*pp = e;
	e->pending = true;
}

unsigned xk_events_advance(xk_events_t *ev, uint64_t now)
{
	unsigned ran = 0;

	if (now > ev->now)
		ev->now = now;
	while (ev->head && ev->head->when <= ev->now) {
		struct xk_event *e = ev->head;

		ev->head = e->next;
		e->next = NULL;
		e->pending = false;
		e->fn(e->arg);
		ran++;
	}
	return ran;
}
