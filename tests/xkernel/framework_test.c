/*
 * framework_test - the map manager (bind, resolve, unbind, collisions,
 * foreach that unbinds), the event manager (deadline order, ties in
 * scheduling order, cancel, reschedule, an event rescheduling itself, a
 * clock that never goes back) and participant address stacks.
 */
#include <stdint.h>
#include <string.h>

#include "event.h"
#include "map.h"
#include "tap.h"
#include "xk.h"

#define NKEYS 1000

struct key {
	uint32_t ip;
	uint16_t port, pad;
};

static int unbind_odd(const void *key, void *val, void *arg)
{
	const struct key *k = key;

	(void)val;
	return k->port % 2 ? xk_map_unbind(arg, key) : 0;
}

static void test_map(void)
{
	static int vals[NKEYS];
	xk_map_t *m;
	struct key k = { 0 };
	void *v = NULL;
	int ok = 1;

	tap_is_int(xk_map_create(&m, sizeof k, 8), 0, "map: create with 8 buckets");
	for (int i = 0; i < NKEYS && ok; i++) {
		k.ip = 0x0a000000u + (uint32_t)i;
		k.port = (uint16_t)i;
		ok = xk_map_bind(m, &k, &vals[i]) == 0;
	}
	tap_ok(ok && xk_map_count(m) == NKEYS, "map: 1000 keys bound in 8 buckets (chains)");
	for (int i = NKEYS - 1; i >= 0 && ok; i--) {
		k.ip = 0x0a000000u + (uint32_t)i;
		k.port = (uint16_t)i;
		ok = xk_map_resolve(m, &k, &v) == 0 && v == &vals[i];
	}
	tap_ok(ok, "map: each key resolves to its own value");
	k.ip = 0x0a000000u + 5;
	k.port = 5;
	tap_is_int(xk_map_bind(m, &k, &vals[0]), -EEXIST, "map: binding a bound key is refused");
	tap_ok(xk_map_resolve(m, &k, &v) == 0 && v == &vals[5], "map: the first binding stays");
	k.port = 6;	/* same address, another port: another key */
	tap_is_int(xk_map_resolve(m, &k, &v), -ENOENT, "map: a key differing in one field is not found");
	tap_is_int(xk_map_foreach(m, unbind_odd, m), 0, "map: foreach may unbind the key it is given");
	tap_is_int(xk_map_count(m), NKEYS / 2, "map: the odd ports are gone");
	k.ip = 0x0a000000u + 7;
	k.port = 7;
	tap_is_int(xk_map_resolve(m, &k, &v), -ENOENT, "map: an unbound key no longer resolves (cache too)");
	tap_is_int(xk_map_unbind(m, &k), -ENOENT, "map: unbinding it again says so");
	xk_map_destroy(m);
}

struct ev_log {
	char seq[16];
	unsigned n;
	xk_events_t *ev;
	struct xk_event *again;
	unsigned repeats;
};

static struct ev_log lg;

static void mark(void *arg)
{
	if (lg.n < sizeof lg.seq - 1)
		lg.seq[lg.n++] = *(const char *)arg;
}

static void repeat(void *arg)
{
	mark(arg);
	if (++lg.repeats < 3)
		xk_event_schedule(lg.ev, lg.again, 10);
}

static void test_events(void)
{
	xk_events_t *ev;
	struct xk_event a, b, c, d, r;

	tap_is_int(xk_events_create(&ev), 0, "event: create");
	lg = (struct ev_log){ .ev = ev, .again = &r };
	xk_event_init(&a, mark, "a");
	xk_event_init(&b, mark, "b");
	xk_event_init(&c, mark, "c");
	xk_event_init(&d, mark, "d");
	xk_event_init(&r, repeat, "r");
	tap_ok(xk_events_next(ev) == XK_NEVER, "event: nothing scheduled, next is never");
	xk_event_schedule(ev, &a, 300);
	xk_event_schedule(ev, &b, 100);
	xk_event_schedule(ev, &c, 100);	/* same deadline as b, scheduled after it */
	xk_event_schedule(ev, &d, 50);
	xk_event_schedule(ev, &r, 150);
	tap_ok(xk_event_cancel(ev, &d) && !xk_event_cancel(ev, &d), "event: cancel once, then not pending");
	xk_event_schedule(ev, &a, 120);	/* moved earlier */
	tap_is_int((long long)xk_events_next(ev), 100, "event: next is the earliest deadline");
	tap_is_int(xk_events_advance(ev, 99), 0, "event: nothing due before 100");
	tap_is_int(xk_events_advance(ev, 165), 4, "event: four due by 165 (b, c, a, r)");
	tap_is_int(xk_events_advance(ev, 10), 0, "event: the clock does not go back");
	tap_is_int((long long)xk_events_now(ev), 165, "event: it stays at 165");
	/* the clock is set before events run: r, run late at 165, comes back at 175, then at 1010 */
	tap_is_int(xk_events_advance(ev, 1000), 1, "event: the rescheduled one runs again");
	tap_is_int((long long)xk_events_next(ev), 1010, "event: and is due 10 after the clock it ran at");
	xk_events_advance(ev, 1010);
	tap_is_str(lg.seq, "bcarrr", "event: deadline order, ties in scheduling order, a self-rescheduling event");
	xk_events_destroy(ev);
}

static void test_parts(void)
{
	struct xk_part p;
	uint32_t ip = 1;
	uint16_t port = 1;
	int full = 0;

	xk_part_init(&p);
	tap_ok(xk_part_pop_ip(&p, &ip) == 0 && ip == 0, "part: empty means any address");
	xk_part_push_ip(&p, 0x0a000002u);
	xk_part_push_port(&p, 80);
	tap_ok(xk_part_pop_port(&p, &port) == 0 && port == 80, "part: the last pushed pops first (port)");
	tap_ok(xk_part_pop_ip(&p, &ip) == 0 && ip == 0x0a000002u, "part: then the address");
	xk_part_init(&p);
	for (int i = 0; i < XK_PART_DEPTH; i++)
		full |= xk_part_push_port(&p, (uint16_t)i);
	tap_ok(!full && xk_part_push_port(&p, 9) == -ENOSPC, "part: a full stack refuses another component");
	tap_is_int(xk_part_pop_ip(&p, &ip), -EINVAL, "part: popping a port as an address is refused");
}

int main(void)
{
	tap_plan(26);
	test_map();
	test_events();
	test_parts();
	return tap_done();
}
