/* xk.c - hosts, protocol registration, the uniform operations' shared parts. */
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "start.h"

int xk_host_create(xk_host_t **hp, const struct xk_host_config *cfg)
{
	xk_host_t *h = calloc(1, sizeof *h);
	int err;

	if (!h)
		return -ENOMEM;
	err = xk_events_create(&h->ev);
	if (!err) {
		err = msg_pool_create(&h->pool);
		if (err)
			xk_events_destroy(h->ev);
	}
	if (err) {
		free(h);
		return err;
	}
	h->cfg = *cfg;
	snprintf(h->name, sizeof h->name, "%s", cfg->name ? cfg->name : "host");
	h->cfg.name = h->name;
	if (!h->cfg.netmask)
		h->cfg.netmask = 0xffffff00u;
	if (!h->cfg.mtu)
		h->cfg.mtu = 1500;
	*hp = h;
	return 0;
}

size_t xk_host_destroy(xk_host_t *h)
{
	size_t leaked;

	if (!h)
		return 0;
	for (unsigned i = h->nproto; i-- > 0;) {
		xk_proto_t *p = h->proto[i];

		if (p->ops && p->ops->destroy)
			p->ops->destroy(p);
		if (p->spec)
			xk_proto_stop(p);
		free(p);
	}
	xk_events_destroy(h->ev);
	leaked = msg_pool_destroy(h->pool);
	free(h);
	return leaked;
}

const struct xk_host_config *xk_host_config(const xk_host_t *h)
{
	return &h->cfg;
}

msg_pool_t *xk_host_pool(xk_host_t *h)
{
	return h->pool;
}

xk_events_t *xk_host_events(xk_host_t *h)
{
	return h->ev;
}

uint64_t xk_now(const xk_host_t *h)
{
	return xk_events_now(h->ev);
}

int xk_register(xk_host_t *h, const char *name, xk_init_fn init, void *arg)
{
	if (!name || !init || strlen(name) >= XK_NAME_MAX)
		return -EINVAL;
	for (unsigned i = 0; i < h->nreg; i++)
		if (strcmp(h->reg[i].name, name) == 0)
			return -EEXIST;
	if (h->nreg == XK_MAX_PROTOS)
		return -ENOMEM;
	strcpy(h->reg[h->nreg].name, name);
	h->reg[h->nreg].init = init;
	h->reg[h->nreg].arg = arg;
	h->nreg++;
	return 0;
}

xk_proto_t *xk_proto_find(xk_host_t *h, const char *name)
{
	for (unsigned i = 0; i < h->nproto; i++)
		if (strcmp(h->proto[i]->name, name) == 0)
			return h->proto[i];
	return NULL;
}

int xk_proto_num(const xk_proto_t *upper, const xk_proto_t *lower, uint32_t *num)
{
	for (unsigned i = 0; i < upper->ndown; i++) {
		if (upper->down[i] == lower) {
			*num = upper->num[i];
			return 0;
		}
	}
	return -ENOENT;
}

int xk_demux(xk_proto_t *hlp, xk_sess_t *lls, msg_t *m)
{
	if (!hlp->ops->demux)
		return xk_drop(hlp, XK_DROP_NOPROTO, m);
	return hlp->ops->demux(hlp, lls, m);
}

int xk_call(xk_sess_t *s, msg_t *req, msg_t *rep)
{
	if (!s->ops->call) {
		msg_free(req);
		return -EOPNOTSUPP;
	}
	return s->ops->call(s, req, rep);
}

int xk_control(xk_proto_t *p, int op, void *buf, size_t len)
{
	if (op == XK_CTL_GET_DROPS) {
		if (len < sizeof p->drops)
			return -ENOSPC;
		memcpy(buf, &p->drops, sizeof p->drops);
		return (int)sizeof p->drops;
	}
	return p->ops->control ? p->ops->control(p, op, buf, len) : -EOPNOTSUPP;
}

int xk_sess_control(xk_sess_t *s, int op, void *buf, size_t len)
{
	return s->ops->control ? s->ops->control(s, op, buf, len) : -EOPNOTSUPP;
}

void xk_sess_ref(xk_sess_t *s)
{
	s->refs++;
}

int xk_close(xk_sess_t *s)
{
	if (--s->refs > 0)
		return 0;
	return s->ops->close ? s->ops->close(s) : 0;
}

int xk_drop(xk_proto_t *p, enum xk_drop why, msg_t *m)
{
	if ((unsigned)why < XK_DROP_NREASONS)
		p->drops.n[why]++;
	if (m)
		msg_free(m);
	return -EPROTO;
}

const char *xk_drop_name(enum xk_drop why)
{
	static const char *const names[XK_DROP_NREASONS] = {
		[XK_DROP_SHORT] = "short", [XK_DROP_CSUM] = "checksum",
		[XK_DROP_LEN] = "length", [XK_DROP_VERSION] = "version",
		[XK_DROP_ADDR] = "address", [XK_DROP_NOPROTO] = "no-protocol",
		[XK_DROP_NOSESS] = "no-session", [XK_DROP_FRAG] = "fragment",
		[XK_DROP_NOMEM] = "no-memory", [XK_DROP_OPTION] = "option",
		[XK_DROP_STATE] = "state", [XK_DROP_TYPE] = "type",
	};

	return (unsigned)why < XK_DROP_NREASONS ? names[why] : "?";
}

xk_sess_t *xk_sess_alloc(xk_proto_t *p, const struct xk_sess_ops *ops, xk_proto_t *up,
			 size_t state_size)
{
	xk_sess_t *s = calloc(1, sizeof *s + state_size);

	if (!s)
		return NULL;
	s->ops = ops;
	s->proto = p;
	s->up = up;
	s->refs = 1;
	s->state = state_size ? (void *)(s + 1) : NULL;
	return s;
}

void xk_sess_free(xk_sess_t *s)
{
	if (s->classified)
		xk_flows_unbind(&s->proto->host->flows, s);
	free(s);
}

static int sess_close_one(const void *key, void *val, void *arg)
{
	xk_sess_t *s = val;

	(void)key;
	(void)arg;
	return s->ops->close(s);
}

void xk_sess_close_map(xk_map_t *m)
{
	xk_map_foreach(m, sess_close_one, NULL);
}

const char *xk_strerror(int err)
{
	return strerror(err < 0 ? -err : err);
}
