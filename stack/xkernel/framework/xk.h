/*
 * xk.h - the x-kernel-style protocol framework: hosts, protocols, sessions.
 *
 * A host (one simulated machine) holds a protocol graph built at start-up from
 * a text description (xk_graph_build). Each node is a protocol object made by
 * the init function registered under its name (xk_register). A protocol opens
 * sessions on the protocols below it; a session is one end of a conversation
 * (an IP address pair, a UDP port pair, a TCP connection).
 *
 * Every layer crossing goes through the object's operation pointers, through
 * the inline wrappers below (xk_open, xk_push, xk_demux, xk_pop, ...), as in the
 * original x-kernel: that indirection is what path-inlining later removes.
 *
 * Message ownership: push, demux, pop and call consume their message; the
 * callee passes it on or frees it (msg_free) on every path, error or not. A
 * layer that keeps a message (a queue, a retransmission buffer) moves or
 * duplicates it into storage of its own (msg_move, msg_dup).
 *
 * Errors are negative errno values (-ENOMEM, -EINVAL, ...); xk_strerror names
 * them. Nothing here is global: several hosts can live in one process.
 */
#ifndef XK_H
#define XK_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "map.h"
#include "msg.h"

#define XK_MAX_DOWN	4	/* lower protocols of one protocol in the graph */
#define XK_NAME_MAX	16	/* protocol name, with its NUL */
#define XK_PART_DEPTH	4	/* address components in one participant */
#define XK_PART_ADDR	8	/* bytes in one address component */

typedef struct xk_host xk_host_t;
typedef struct xk_proto xk_proto_t;
typedef struct xk_sess xk_sess_t;
struct xk_proto_spec;

/*
 * Participant addresses: a stack of address components, one per layer, as in
 * the x-kernel. The opener pushes the lowest layer's component first (the IP
 * address), then the next (the port); each layer pops its own and passes the
 * rest down. Components are copied by value. An empty stack means "any".
 */
struct xk_part {
	unsigned n;
	struct {
		uint8_t len;
		uint8_t addr[XK_PART_ADDR];
	} c[XK_PART_DEPTH];
};

/* The two ends of an open: remote and local. A passive open uses local only. */
struct xk_parts {
	struct xk_part remote;
	struct xk_part local;
};

void xk_part_init(struct xk_part *p);
int xk_part_push(struct xk_part *p, const void *addr, size_t len);	/* -ENOSPC, -EINVAL */
int xk_part_pop(struct xk_part *p, void *addr, size_t len);		/* -ENOENT if empty, -EINVAL if len differs */
/* Typed components: IPv4 addresses and ports in host byte order. */
int xk_part_push_ip(struct xk_part *p, uint32_t ip);
int xk_part_pop_ip(struct xk_part *p, uint32_t *ip);	/* empty: *ip = 0 ("any"), returns 0 */
int xk_part_push_port(struct xk_part *p, uint16_t port);
int xk_part_pop_port(struct xk_part *p, uint16_t *port);	/* empty: *port = 0 ("any"), returns 0 */

/*
 * Why a protocol dropped an incoming message. Each protocol counts its drops
 * per reason; read them with xk_control(proto, XK_CTL_GET_DROPS).
 */
enum xk_drop {
	XK_DROP_SHORT,		/* shorter than its header or than its length field says */
	XK_DROP_CSUM,		/* checksum wrong */
	XK_DROP_LEN,		/* a length or offset field is impossible */
	XK_DROP_VERSION,	/* wrong version or header-length field */
	XK_DROP_ADDR,		/* not addressed to this host */
	XK_DROP_NOPROTO,	/* no upper protocol for its type/protocol number */
	XK_DROP_NOSESS,		/* no session or port bound for it */
	XK_DROP_FRAG,		/* bad or overlapping fragment, or reassembly timed out */
	XK_DROP_NOMEM,		/* out of memory or a table full */
	XK_DROP_OPTION,		/* bad option */
	XK_DROP_STATE,		/* not acceptable in the session's state */
	XK_DROP_TYPE,		/* unknown or unsupported message type */
	XK_DROP_NREASONS
};
const char *xk_drop_name(enum xk_drop why);

/* Drop counters, as XK_CTL_GET_DROPS returns them. */
struct xk_drops {
	uint64_t n[XK_DROP_NREASONS];
};

/*
 * Control operations. The framework answers XK_CTL_GET_DROPS on any protocol
 * itself; every other op goes to the object's control operation, which
 * returns the bytes it wrote into buf, or -EOPNOTSUPP, -EINVAL, -ENOSPC.
 */
enum xk_ctl {
	XK_CTL_GET_DROPS = 1,		/* proto: struct xk_drops */
	XK_CTL_GET_MY_HOST,		/* sess: uint32_t local IPv4 address */
	XK_CTL_GET_PEER_HOST,		/* sess: uint32_t remote IPv4 address */
	XK_CTL_GET_MY_PORT,		/* sess: uint16_t */
	XK_CTL_GET_PEER_PORT,		/* sess: uint16_t */
	XK_CTL_GET_MAX_PACKET,		/* sess or proto: uint32_t, largest message push takes */
	XK_CTL_GET_OPT_PACKET,		/* sess or proto: uint32_t, largest without fragmenting */
	XK_CTL_GET_MY_MAC,		/* proto (eth, driver): 6 bytes */
	XK_CTL_ARP_RESOLVE,		/* arp proto: in uint32_t ip, out 6-byte MAC; -EAGAIN while pending */
	XK_CTL_IP_PSEUDOHDR,		/* ip sess: struct xk_ip_pseudohdr (see ip.h) */
	XK_CTL_SET_NODELAY,		/* tcp sess: int, 1 disables Nagle */
	XK_CTL_GET_MIN_PACKET,		/* sess or proto: uint32_t, shorter messages arrive padded (ETH) */
	XK_CTL_PROTO_BASE = 0x100,	/* protocol-private ops start here */
};

/*
 * Operations of a protocol object. Unused ones may be NULL: the wrappers
 * then return -EOPNOTSUPP (and free the message for demux).
 *   open         self opens a session for hlp to talk to parts->remote;
 *                hlp_type is the protocol whose number self uses in its
 *                header (usually hlp itself). *out gets one reference.
 *   open_enable  hlp will accept sessions for parts->local: when a message
 *                arrives for it, self makes a session and calls
 *                xk_open_done(hlp, self, new_session, parts) before
 *                delivering the message with xk_demux(hlp, new_session, m).
 *   open_disable undoes open_enable.
 *   open_done    (called on hlp) a lower protocol made session lls for it.
 *                hlp takes its own reference (xk_sess_ref) if it keeps lls.
 *   demux        a message came up from lower session lls.
 *   control      see enum xk_ctl.
 */
struct xk_proto_ops {
	int (*open)(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		    const struct xk_parts *parts, xk_sess_t **out);
	int (*open_enable)(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
			   const struct xk_parts *parts);
	int (*open_disable)(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
			    const struct xk_parts *parts);
	int (*open_done)(xk_proto_t *self, xk_proto_t *llp, xk_sess_t *lls,
			 const struct xk_parts *parts);
	int (*demux)(xk_proto_t *self, xk_sess_t *lls, msg_t *m);
	int (*control)(xk_proto_t *self, int op, void *buf, size_t len);
	/* host teardown: free state and sessions (a started protocol: what its spec does not, start.h) */
	void (*destroy)(xk_proto_t *self);
};

/*
 * Operations of a session.
 *   push     send m (starting at this layer's payload) down toward the wire.
 *   pop      deliver m, whose header hdr this protocol's demux already
 *            parsed, to the session's upper protocol (usually
 *            xk_demux(s->up, s, m)).
 *   call     request/reply: send req, *rep gets the reply (RPC protocols).
 *   close    the last reference went away: free the session.
 */
struct xk_sess_ops {
	int (*push)(xk_sess_t *s, msg_t *m);
	int (*pop)(xk_sess_t *s, xk_sess_t *lls, msg_t *m, void *hdr);
	int (*call)(xk_sess_t *s, msg_t *req, msg_t *rep);
	int (*control)(xk_sess_t *s, int op, void *buf, size_t len);
	int (*close)(xk_sess_t *s);
};

struct xk_proto {
	const struct xk_proto_ops *ops;
	char name[XK_NAME_MAX];
	xk_host_t *host;
	unsigned ndown;
	xk_proto_t *down[XK_MAX_DOWN];	/* lower protocols, in graph order */
	uint32_t num[XK_MAX_DOWN];	/* this protocol's number in down[i] (EtherType, IP proto) */
	void *state;			/* the protocol's own */
	const struct xk_proto_spec *spec;	/* how it started (start.h), or NULL */
	struct xk_drops drops;
};

typedef int (*xk_demux_fn)(xk_proto_t *hlp, xk_sess_t *lls, msg_t *m);

struct xk_sess {
	const struct xk_sess_ops *ops;	/* shared, or `bound` (xk_sess_bind_path) */
	xk_proto_t *proto;		/* the protocol that made it */
	xk_proto_t *up;			/* where pop delivers: the hlp */
	xk_sess_t *down;		/* the lower session it pushes to, or NULL */
	unsigned refs;
	void *state;			/* the protocol's own */
	xk_demux_fn up_demux;		/* NULL (xk_up calls xk_demux), or the clone of up's demux */
	const char *path_send, *path_recv;	/* the paths it is bound to, or NULL */
	struct xk_sess_ops bound;	/* its ops with the paths' clones */
	bool classified;		/* a flow of the host's classifier leads to it */
};

/* The uniform operations. */
static inline int xk_open(xk_proto_t *llp, xk_proto_t *hlp, xk_proto_t *hlp_type,
			  const struct xk_parts *parts, xk_sess_t **out)
{
	return llp->ops->open ? llp->ops->open(llp, hlp, hlp_type, parts, out) : -EOPNOTSUPP;
}
static inline int xk_open_enable(xk_proto_t *llp, xk_proto_t *hlp, xk_proto_t *hlp_type,
				 const struct xk_parts *parts)
{
	return llp->ops->open_enable ? llp->ops->open_enable(llp, hlp, hlp_type, parts)
				     : -EOPNOTSUPP;
}
static inline int xk_open_disable(xk_proto_t *llp, xk_proto_t *hlp, xk_proto_t *hlp_type,
				  const struct xk_parts *parts)
{
	return llp->ops->open_disable ? llp->ops->open_disable(llp, hlp, hlp_type, parts)
				      : -EOPNOTSUPP;
}
static inline int xk_open_done(xk_proto_t *hlp, xk_proto_t *llp, xk_sess_t *lls,
			       const struct xk_parts *parts)
{
	return hlp->ops->open_done ? hlp->ops->open_done(hlp, llp, lls, parts) : 0;
}
static inline int xk_push(xk_sess_t *s, msg_t *m)
{
	return s->ops->push(s, m);
}
static inline int xk_pop(xk_sess_t *s, xk_sess_t *lls, msg_t *m, void *hdr)
{
	return s->ops->pop(s, lls, m, hdr);
}
int xk_demux(xk_proto_t *hlp, xk_sess_t *lls, msg_t *m);
/*
 * A pop that only hands its message up (xk_up) is the same code in every
 * protocol: GCC's identical code folding (-O2) would merge them, and a
 * path's crossing would then carry another pop's name than the profile's
 * training (-O1, not folded) gave it. Such pops are kept apart.
 */
#define XK_POP_UP __attribute__((no_icf))
/*
 * What a pop does with its message: deliver it to s->up, straight to up's
 * demux (or its clone) when s is bound to a receive path, else through
 * xk_demux (a direct call, which GCC inlines). Always merged into the pop,
 * as in the profile's -O1 training build: the plugin finds the crossing
 * under the pop's name, which the profile's edges use.
 */
static inline __attribute__((always_inline)) int xk_up(xk_sess_t *s, msg_t *m)
{
	return s->up_demux ? s->up_demux(s->up, s, m) : xk_demux(s->up, s, m);
}
/*
 * What a driver does with a frame that came in on its session drv: deliver it
 * to drv->up, or straight to a bound receive path's clone when the host's
 * classifier knows the frame's connection (classify.h).
 */
int xk_deliver(xk_sess_t *drv, msg_t *m);
int xk_call(xk_sess_t *s, msg_t *req, msg_t *rep);
int xk_control(xk_proto_t *p, int op, void *buf, size_t len);
int xk_sess_control(xk_sess_t *s, int op, void *buf, size_t len);
void xk_sess_ref(xk_sess_t *s);
int xk_close(xk_sess_t *s);		/* drops a reference; the last one calls ops->close */

/*
 * Bind s and the sessions below it (s->down, down to the driver's) to the
 * clones olayout made for the paths named send and recv (either may be
 * NULL; the names must outlive s): each push becomes its send-path clone,
 * each pop and each delivery up (xk_up) its receive-path clone, and the
 * host's classifier (classify.h) sends the frames of s's connection straight
 * to the receive path's root clone. Sessions below s may be shared with other
 * traffic, which then crosses them through the same clones (identical code,
 * placed elsewhere). In a program olayout did not rewrite the same happens
 * with the originals (the same crossings, so a training run sees them).
 * 0, or -ENOSPC (the classifier is full; the operations are bound anyway).
 */
int xk_sess_bind_path(xk_sess_t *s, const char *send, const char *recv);
/* A protocol that opens s->down after s itself (IP, once ARP answers) calls this then. */
void xk_sess_bind_down(xk_sess_t *s);

/* Count a drop and free the message. Returns -EPROTO, for `return xk_drop(...)`. */
int xk_drop(xk_proto_t *p, enum xk_drop why, msg_t *m);

/*
 * Session allocation for protocols: zeroed, with refs = 1, ops, proto and up
 * set, and `state_size` bytes of zeroed private state at s->state. Free with
 * xk_sess_free from the close operation.
 */
xk_sess_t *xk_sess_alloc(xk_proto_t *p, const struct xk_sess_ops *ops, xk_proto_t *up,
			 size_t state_size);
void xk_sess_free(xk_sess_t *s);
/*
 * Host teardown: run the close operation of every session bound in m (a
 * protocol's active map), whatever its references. close may unbind it.
 */
void xk_sess_close_map(xk_map_t *m);

/* Number of protocol `upper` in lower protocol `lower` (from the graph), or -ENOENT. */
int xk_proto_num(const xk_proto_t *upper, const xk_proto_t *lower, uint32_t *num);

/* ---- Hosts, registration, the graph ---------------------------------- */

struct xk_host_config {
	const char *name;		/* for messages */
	uint8_t mac[6];
	uint32_t ip;			/* host byte order */
	uint32_t netmask;		/* host byte order; 0: 255.255.255.0 */
	uint16_t mtu;			/* IP MTU; 0: 1500 */
};

/*
 * A protocol's init function: called once when the graph is built, after
 * p->name, p->host, p->down[] and p->num[] are set (lower protocols are
 * already initialised). It sets p->ops and p->state and returns 0, or a
 * negative error. arg is what xk_register was given.
 */
typedef int (*xk_init_fn)(xk_proto_t *p, void *arg);

int xk_host_create(xk_host_t **hp, const struct xk_host_config *cfg);
/*
 * Destroys the protocols top-down, then the host. Returns the number of
 * message buffers and segment arrays of its pool still outstanding: 0 unless
 * something leaked a message (tests check it).
 */
size_t xk_host_destroy(xk_host_t *h);
const struct xk_host_config *xk_host_config(const xk_host_t *h);
/* The host's message pool: every message its stack makes comes from it (msg_pool.h). */
msg_pool_t *xk_host_pool(xk_host_t *h);

/* Register NAME's init function (with arg) for this host; -EEXIST, -ENOMEM. */
int xk_register(xk_host_t *h, const char *name, xk_init_fn init, void *arg);

/*
 * Build the protocol graph from text, one protocol a line, lowest first:
 *     NAME [LOWER[/NUMBER]]...
 * NUMBER (decimal or 0x hex) is NAME's number in LOWER (its EtherType or IP
 * protocol number). '#' starts a comment. Example (the suite over
 * a driver, suite.h):
 *     wire
 *     eth  wire
 *     arp  eth/0x0806
 *     ip   eth/0x0800 arp
 *     icmp ip/1
 *     udp  ip/17
 *     tcp  ip/6
 * On error returns a negative code and writes one line naming the line
 * number and the problem into err (errlen bytes).
 */
int xk_graph_build(xk_host_t *h, const char *text, char *err, size_t errlen);
xk_proto_t *xk_proto_find(xk_host_t *h, const char *name);

/* The host's clock and timers (event.h). Time is what the host loop says it is. */
xk_events_t *xk_host_events(xk_host_t *h);
uint64_t xk_now(const xk_host_t *h);

const char *xk_strerror(int err);

#endif
