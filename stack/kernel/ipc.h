/*
 * ipc.h - the EROS-style IPC kernel: the API every domain and the supervisor use.
 *
 * A kernel (ipc_kernel_t) is made by a supervisor, which creates domains and
 * entry ports, grants capabilities, then runs the domains. Each domain is a
 * Linux process (IPC_MODE_PROCESS) or a thread (IPC_MODE_THREAD, same API, for
 * valgrind and debugging). A domain invokes only capabilities in its own
 * table, by slot:
 *
 *   ipc_send            Send: deliver a message, expect no reply.
 *   ipc_call            CallAndWait: deliver with a fresh one-shot reply
 *                       capability and block until it is invoked.
 *   ipc_return_receive  ReturnAndReceive: invoke a slot (usually the reply
 *                       capability), then wait for the next invocation.
 *   ipc_receive         wait for the next invocation (a server's first wait).
 *
 * Invoking a reply capability a second time, from any copy, fails with
 * -IPC_ECONSUMED. Calling a reply capability (coroutines) and returning to an
 * entry capability while passing the reply capability (tail call) both work.
 * Every function returns 0 or a negative IPC_E* code; ipc_strerror names it.
 */
#ifndef IPC_H
#define IPC_H

#include <stddef.h>
#include <stdint.h>

#define IPC_MAX_CAPS	4		/* capabilities carried by one message */
#define IPC_NWORDS	4		/* register words carried by one message */
#define IPC_MAX_STRING	(64 * 1024)	/* bytes of string carried by one message */
#define IPC_NO_SLOT	0xffffu		/* "no capability" in a slot field */

enum ipc_err {
	IPC_OK = 0,
	IPC_EBADSLOT = 1,	/* slot empty or out of range */
	IPC_ETOOBIG = 2,	/* string over IPC_MAX_STRING; nothing sent */
	IPC_ECONSUMED = 3,	/* reply capability already used */
	IPC_EDEAD = 4,		/* the other domain died or the kernel is shutting down */
	IPC_ETIMEDOUT = 5,	/* receive timed out */
	IPC_EAGAIN = 6,		/* IPC_NONBLOCK and the receiver cannot take it now */
	IPC_ENOMEM = 7,		/* out of domains, ports, slots or memory; a message
				 * passing caps to a full table: nothing sent */
	IPC_EINVAL = 8,		/* bad argument */
	IPC_ESYS = 9,		/* a Linux call failed (errno kept by the caller) */
};

enum ipc_mode {
	IPC_MODE_PROCESS,	/* each domain its own process: protected */
	IPC_MODE_THREAD,	/* each domain a thread of one process */
};

/* Flags for ipc_send. */
#define IPC_NONBLOCK	1u	/* fail with -IPC_EAGAIN rather than wait */

/* Flags for ipc_rcv_mode: how a domain reads what it receives. By default
 * a string is copied through the cache, for a receiver that reads it at
 * once (an echo); with IPC_RCV_SINK a long one is copied around the cache
 * (non-temporal stores), for one that keeps it for later (a sink). */
#define IPC_RCV_SINK	1u

typedef struct ipc_kernel ipc_kernel_t;	/* the supervisor's handle */
typedef struct ipc_domain ipc_domain_t;	/* a running domain's own handle */

/* What a domain sends. caps[] are slots of the sender's own table. */
struct ipc_msg {
	uint32_t code;			/* request or result code */
	uint64_t w[IPC_NWORDS];		/* register words */
	uint16_t ncaps;
	uint16_t caps[IPC_MAX_CAPS];
	const void *data;		/* string to copy, len bytes */
	size_t len;
};

/* What a domain receives into. Filled by the kernel on return. */
struct ipc_rcv {
	void *buf;			/* in: where the string goes */
	size_t cap;			/* in: buf's size; a longer string is cut to cap */
	size_t len;			/* out: bytes written to buf */
	uint32_t code;			/* out */
	uint64_t w[IPC_NWORDS];		/* out */
	uint16_t ncaps;			/* out: capabilities received */
	uint16_t caps[IPC_MAX_CAPS];	/* out: slots they were placed in */
	uint16_t reply;			/* out: slot of the reply capability, or IPC_NO_SLOT */
	uint64_t badge;			/* out: badge of the entry capability invoked */
};

struct ipc_config {
	enum ipc_mode mode;
	unsigned max_domains;		/* 0: a default */
	unsigned max_ports;		/* 0: a default */
	unsigned slots;			/* capability slots per domain; 0: a default */
	unsigned spin_ns;		/* handoff spin before sleeping; 0: a default */
	/* Each domain's receive area; 0 or less: IPC_MAX_STRING. The shared
	 * memory, about max_domains * inbox_bytes, is allocated at once when
	 * it is 1 GiB or less. */
	size_t inbox_bytes;
};

typedef int (*ipc_main_fn)(ipc_domain_t *self, void *arg);

/* Supervisor side. */
int ipc_kernel_create(ipc_kernel_t **kp, const struct ipc_config *cfg);
int ipc_domain_create(ipc_kernel_t *k, const char *name, ipc_main_fn fn, void *arg,
		      unsigned *domain_id);
int ipc_port_create(ipc_kernel_t *k, unsigned owner_domain, uint64_t badge,
		    unsigned *port_id);
int ipc_grant(ipc_kernel_t *k, unsigned domain_id, uint16_t slot, unsigned port_id);
int ipc_kernel_run(ipc_kernel_t *k);		/* starts every domain, waits for all */
void ipc_kernel_destroy(ipc_kernel_t *k);	/* frees every resource, kills leftovers */
/* After ipc_kernel_run: what the domain's function returned, or -IPC_EDEAD if
 * it was killed, crashed or never ran; -IPC_EINVAL for a bad id. */
int ipc_domain_status(const ipc_kernel_t *k, unsigned domain_id);

/* Domain side. */
int ipc_send(ipc_domain_t *self, uint16_t slot, const struct ipc_msg *m, unsigned flags);
int ipc_call(ipc_domain_t *self, uint16_t slot, const struct ipc_msg *m, struct ipc_rcv *r);
int ipc_return_receive(ipc_domain_t *self, uint16_t slot, const struct ipc_msg *m,
		       struct ipc_rcv *r);
int ipc_receive(ipc_domain_t *self, struct ipc_rcv *r, int64_t timeout_ns); /* <0: forever */
int ipc_cap_drop(ipc_domain_t *self, uint16_t slot);
int ipc_rcv_mode(ipc_domain_t *self, unsigned flags);	/* IPC_RCV_* or 0; kept until changed */
/* The three below take no error code: for a NULL self they return
 * IPC_NO_DOMAIN, NULL and 0. */
#define IPC_NO_DOMAIN	0xffffffffu	/* no domain's id */
unsigned ipc_self_id(const ipc_domain_t *self);
/* This domain's receive area (ipc_buffer_size bytes, at least IPC_MAX_STRING,
 * in the kernel's shared memory): receiving with r->buf anywhere inside it
 * saves the second copy: the sender's copy lands there directly (r->cap is
 * then cut at the area's end). A buffer that starts before the area and
 * runs into it is -IPC_EINVAL. */
void *ipc_buffer(ipc_domain_t *self);
size_t ipc_buffer_size(const ipc_domain_t *self);

const char *ipc_strerror(int err);

#endif
