/* app.c - the echo/sink user protocol of the apps and tests. */
#include <string.h>

#include "app.h"

static int app_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	struct xk_app *app = self->state;

	/* a session a lower protocol opened for us (a passive open): bind it at its first message */
	if ((app->send_path || app->recv_path) && !lls->path_send && !lls->path_recv)
		xk_sess_bind_path(lls, app->send_path, app->recv_path);
	app->received++;
	app->bytes += msg_len(m);
	if (app->on_recv)
		app->on_recv(app, lls, m);
	if (app->echo && msg_len(m))	/* an empty message is TCP's end of stream */
		return xk_push(lls, m);
	msg_free(&app->last);
	msg_move(&app->last, m);
	return 0;
}

static void app_destroy(xk_proto_t *self)
{
	struct xk_app *app = self->state;

	msg_free(&app->last);
}

static const struct xk_proto_ops app_ops = {
	.demux = app_demux,
	.destroy = app_destroy,
};

int xk_app_init(xk_proto_t *p, void *arg)
{
	struct xk_app *app = arg;

	if (!app)
		return -EINVAL;
	app->proto = p;
	app->received = 0;
	app->bytes = 0;
	app->failed = 0;
	msg_init(&app->last);
	p->state = app;
	p->ops = &app_ops;
	return 0;
}

static xk_proto_t *app_lower(struct xk_app *app, const char *lower)
{
	for (unsigned i = 0; i < app->proto->ndown; i++)
		if (strcmp(app->proto->down[i]->name, lower) == 0)
			return app->proto->down[i];
	return NULL;
}

int xk_app_open(struct xk_app *app, const char *lower, const struct xk_parts *parts,
		xk_sess_t **out)
{
	xk_proto_t *llp = app_lower(app, lower);
	int err = llp ? xk_open(llp, app->proto, app->proto, parts, out) : -ENOENT;

	if (!err && (app->send_path || app->recv_path)) {
		err = xk_sess_bind_path(*out, app->send_path, app->recv_path);
		if (err)
			xk_close(*out);
	}
	return err;
}

int xk_app_listen(struct xk_app *app, const char *lower, const struct xk_parts *parts)
{
	xk_proto_t *llp = app_lower(app, lower);

	return llp ? xk_open_enable(llp, app->proto, app->proto, parts) : -ENOENT;
}
