/* start.c - a protocol's start and teardown from its table (start.h). */
#include <stdlib.h>

#include "start.h"

static xk_map_t **map_at(xk_proto_t *p, const struct xk_map_spec *ms)
{
	return (xk_map_t **)((char *)p->state + ms->at);
}

static xk_sess_t **open_at(xk_proto_t *p, const struct xk_proto_spec *spec)
{
	return (xk_sess_t **)((char *)p->state + spec->open_at);
}

/* Destroy the first n maps of the table, last first, and the state. */
static void undo(xk_proto_t *p, const struct xk_proto_spec *spec, unsigned n)
{
	while (n-- > 0)
		xk_map_destroy(*map_at(p, &spec->maps[n]));
	free(p->state);
	p->state = NULL;
}

/* The hold on the lower protocol: the last step, so its failure needs no undo of its own. */
static int hold_below(xk_proto_t *p, const struct xk_proto_spec *spec)
{
	struct xk_parts any = { 0 };

	if (spec->below == XK_BELOW_OPEN)
		return xk_open(p->down[0], p, p, &any, open_at(p, spec));
	return xk_open_enable(p->down[0], p, p, &any);
}

int xk_proto_start(xk_proto_t *p, const struct xk_proto_spec *spec, void *arg)
{
	unsigned made = 0;
	int err = 0;

	if (p->ndown < spec->min_down || (spec->max_down && p->ndown > spec->max_down))
		return -EINVAL;
	p->state = calloc(1, spec->size);
	if (!p->state)
		return -ENOMEM;
	if (spec->fill)
		spec->fill(p, arg);
	while (made < spec->nmaps) {
		const struct xk_map_spec *ms = &spec->maps[made];

		err = xk_map_create(map_at(p, ms), ms->keylen, ms->nbuckets);
		if (err)
			break;
		made++;
	}
	if (!err)
		err = hold_below(p, spec);
	if (err) {
		undo(p, spec, made);
		return err;
	}
	p->ops = spec->ops;
	p->spec = spec;
	return 0;
}

void xk_proto_stop(xk_proto_t *p)
{
	const struct xk_proto_spec *spec = p->spec;

	for (unsigned i = 0; i < spec->nmaps; i++)
		if (spec->maps[i].sessions)
			xk_sess_close_map(*map_at(p, &spec->maps[i]));
	/* A passive hold needs no undo: teardown is top-down, the lower protocol goes next. */
	if (spec->below == XK_BELOW_OPEN && *open_at(p, spec))
		xk_close(*open_at(p, spec));
	undo(p, spec, spec->nmaps);
	p->spec = NULL;
}
