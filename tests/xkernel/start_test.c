/*
 * start_test - a protocol started from its table (start.h): the lower
 * protocol count checked, the fill and the maps made, the passive hold or
 * the session below; a failed hold undone (no state, no ops); teardown
 * closes the sessions of the maps flagged so and the session below, and
 * nothing else.
 */
#include <stddef.h>
#include <string.h>

#include "start.h"
#include "tap.h"

struct up_state {
	int filled;
	xk_map_t *sess;		/* sessions, closed at teardown */
	xk_map_t *plain;	/* not sessions */
	xk_sess_t *below;	/* XK_BELOW_OPEN */
};

static int enable_err;		/* what the lower protocol's open_enable answers */
static xk_proto_t *enabled_for;
static int closes;

static int low_enable(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		      const struct xk_parts *parts)
{
	(void)self;
	(void)hlp_type;
	(void)parts;
	enabled_for = hlp;
	return enable_err;
}

static int count_close(xk_sess_t *s)
{
	closes++;
	xk_sess_free(s);
	return 0;
}

static const struct xk_sess_ops counted_ops = { .close = count_close };

static int low_open(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		    const struct xk_parts *parts, xk_sess_t **out)
{
	(void)hlp_type;
	(void)parts;
	*out = xk_sess_alloc(self, &counted_ops, hlp, 0);
	return *out ? 0 : -ENOMEM;
}

static const struct xk_proto_ops low_ops = { .open = low_open, .open_enable = low_enable };
static const struct xk_proto_ops up_ops = { 0 };

static void up_fill(xk_proto_t *p, void *arg)
{
	struct up_state *st = p->state;

	st->filled = *(int *)arg;
}

static const struct xk_map_spec up_maps[] = {
	{ offsetof(struct up_state, sess), sizeof(uint32_t), 8, true },
	{ offsetof(struct up_state, plain), sizeof(uint32_t), 8, false },
};

static struct xk_proto_spec up_spec = {
	.ops = &up_ops, .size = sizeof(struct up_state), .min_down = 1, .max_down = 1,
	.fill = up_fill, .maps = up_maps, .nmaps = 2, .below = XK_BELOW_ENABLE,
};

/* One session bound in each map of a started up. */
static void bind_one_each(xk_proto_t *up, xk_proto_t *low)
{
	struct up_state *st = up->state;
	uint32_t k = 1;

	xk_map_bind(st->sess, &k, xk_sess_alloc(low, &counted_ops, up, 0));
	xk_map_bind(st->plain, &k, &closes);	/* not a session: must not be closed */
}

int main(void)
{
	xk_proto_t low = { .ops = &low_ops }, up = { .ndown = 1, .down = { &low } };
	int seven = 7;
	struct up_state *st;

	tap_plan(15);

	up.ndown = 2;
	tap_is_int(xk_proto_start(&up, &up_spec, &seven), -EINVAL, "two lower protocols: -EINVAL");
	tap_ok(!up.state && !up.ops, "nothing made");
	up.ndown = 1;

	enable_err = -EADDRINUSE;
	tap_is_int(xk_proto_start(&up, &up_spec, &seven), -EADDRINUSE, "the lower protocol's refusal comes back");
	tap_ok(enabled_for == &up, "open_enable was asked for the protocol itself");
	tap_ok(!up.state && !up.ops && !up.spec, "a failed start is undone: no state, no ops, no spec");

	enable_err = 0;
	tap_is_int(xk_proto_start(&up, &up_spec, &seven), 0, "started");
	st = up.state;
	tap_ok(st && st->filled == 7 && st->sess && st->plain && !st->below,
	       "state filled from arg, both maps made, nothing opened below");
	tap_ok(up.ops == &up_ops && up.spec == &up_spec, "ops and spec set");
	bind_one_each(&up, &low);
	closes = 0;
	xk_proto_stop(&up);
	tap_is_int(closes, 1, "teardown closed the session map's session, not the other map's value");
	tap_ok(!up.state && !up.spec, "teardown freed the state");

	up_spec.below = XK_BELOW_OPEN;
	up_spec.open_at = offsetof(struct up_state, below);
	enabled_for = NULL;
	tap_is_int(xk_proto_start(&up, &up_spec, &seven), 0, "started with a session below");
	st = up.state;
	tap_ok(st->below && st->below->proto == &low && st->below->up == &up,
	       "the session below is low's, for up");
	tap_ok(!enabled_for, "no open_enable when a session is opened below");
	closes = 0;
	xk_proto_stop(&up);
	tap_is_int(closes, 1, "teardown closed the session below");
	tap_ok(!up.state, "and freed the state");
	return tap_done();
}
