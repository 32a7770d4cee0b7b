/*
 * ipcb_kernel.c - the IPC kernel's side of a regime: five domains (each a
 * process) and the series that use them.
 *
 *   client  pinned to the client CPU; runs every series (ipcb_run.c)
 *   oneway  receives each string into a cold slot of its receive area (64
 *           MiB, twice the L3), replies a bare code: one copy, cold; a sink
 *           (IPC_RCV_SINK: long strings copied around the cache)
 *   echo    replies with the string it received (copied through the cache)
 *
 * Every domain receives in place, in its receive area (ipc_buffer), so a
 * string is copied once per hop, by the kernel, as in EROS.
 *   hop_b   two-hop middle: tail-calls hop_c (returns to its entry port,
 *           passing the caller's reply capability) or calls it (nested)
 *   hop_c   two-hop end: replies a bare code to whoever holds the reply
 *
 * The client's slots: 0 oneway, 1 echo, 2 hop_b, 3 hop_c; hop_b's slot 0 is
 * hop_c. The client ends the run by sending QUIT to each.
 */
#include "ipcb.h"
#include "ipc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

enum { SLOT_ONEWAY, SLOT_ECHO, SLOT_HOP_B, SLOT_HOP_C, NSLOTS };
enum { CODE_REQ = 1, CODE_QUIT, CODE_TAIL, CODE_NESTED };
enum { D_CLIENT, D_ONEWAY, D_ECHO, D_HOP_B, D_HOP_C, NDOMAINS };

struct kctx {
	struct ipcb_job *job;
	ipc_domain_t *self;
	unsigned char payload[IPCB_MAX_PAYLOAD];
};

/* Record the first kernel error with what failed; -EIO for the caller. */
static int kfail(struct ipcb_job *job, const char *what, int err)
{
	if (!job->res->errmsg[0])
		snprintf(job->res->errmsg, sizeof job->res->errmsg, "%s: %s", what, ipc_strerror(err));
	return -EIO;
}

static void rcv_into(struct ipc_rcv *r, void *buf)
{
	*r = (struct ipc_rcv){ .buf = buf, .cap = IPCB_MAX_PAYLOAD };
}

/* ---- the client's series ---- */

static int call_loop(struct kctx *c, uint16_t slot, uint32_t code, size_t n, unsigned iters)
{
	struct ipc_msg m = { .code = code, .data = c->payload, .len = n };
	struct ipc_rcv r;
	for (unsigned i = 0; i < iters; i++) {
		rcv_into(&r, ipc_buffer(c->self));
		int err = ipc_call(c->self, slot, &m, &r);
		if (err < 0)
			return kfail(c->job, "ipc_call", err);
		if (r.code != 0 || r.len != (slot == SLOT_ECHO ? n : 0))
			return kfail(c->job, "reply", IPC_EINVAL);
	}
	return 0;
}

static int null_run(void *ctx, size_t n, unsigned iters)
{
	(void)n;
	return call_loop(ctx, SLOT_ONEWAY, CODE_REQ, 0, iters);
}

static int oneway_run(void *ctx, size_t n, unsigned iters)
{
	return call_loop(ctx, SLOT_ONEWAY, CODE_REQ, n, iters);
}

static int echo_run(void *ctx, size_t n, unsigned iters)
{
	return call_loop(ctx, SLOT_ECHO, CODE_REQ, n, iters);
}

static int tail_run(void *ctx, size_t n, unsigned iters)
{
	return call_loop(ctx, SLOT_HOP_B, CODE_TAIL, n, iters);
}

static int nested_run(void *ctx, size_t n, unsigned iters)
{
	return call_loop(ctx, SLOT_HOP_B, CODE_NESTED, n, iters);
}

static int client_main(ipc_domain_t *self, void *arg)
{
	struct kctx *c = arg;
	c->self = self;
	const struct ipcb_series ks[] = {
		{ "ipc_null", null_run, c },
		{ "ipc_oneway", oneway_run, c },
		{ "ipc_echo", echo_run, c },
	};
	const struct ipcb_series hops[] = {
		{ "tail", tail_run, c },
		{ "nested", nested_run, c },
	};
	int err = ipcb_client_measure(c->job, ks, 3, hops, 2);
	const struct ipc_msg quit = { .code = CODE_QUIT };
	for (uint16_t s = 0; s < NSLOTS; s++) {
		int e = ipc_send(self, s, &quit, 0);
		if (e < 0 && err == 0)
			err = kfail(c->job, "ipc_send QUIT", e);
	}
	if (err < 0 && !c->job->res->err)
		c->job->res->err = err;
	return err < 0 ? 1 : 0;
}

/* ---- the servers ---- */

/* The slot to answer: the reply capability, or one forwarded in caps[0]. */
static uint16_t reply_slot(const struct ipc_rcv *r)
{
	return r->reply != IPC_NO_SLOT ? r->reply : r->ncaps ? r->caps[0] : IPC_NO_SLOT;
}

static int server_main(ipc_domain_t *self, void *arg, int cold, int echo)
{
	struct kctx *c = arg;
	struct ipcb_ring ring = { 0 };
	struct ipc_rcv r;
	int err = ipcb_pin(c->job->regime->server_cpu);
	if (err < 0)
		return 1;
	/* The one-way server keeps the strings for later (a sink): they are
	 * copied around its cache; the echo reads them at once: through it. */
	if (cold && (err = ipc_rcv_mode(self, IPC_RCV_SINK)) < 0) {
		kfail(c->job, "ipc_rcv_mode", err);
		return 1;
	}
	if (cold) {
		ipcb_ring_over(&ring, ipc_buffer(self), ipc_buffer_size(self));
		ipcb_ring_stride(&ring, IPCB_MAX_PAYLOAD);
	}
	rcv_into(&r, cold ? ipcb_ring_next(&ring) : ipc_buffer(self));
	err = ipc_receive(self, &r, -1);
	while (err == 0 && r.code != CODE_QUIT) {
		/* The echo goes back from the receive area: copied out before
		 * the next receive can land there. */
		struct ipc_msg m = { .code = 0, .data = r.buf, .len = echo ? r.len : 0 };
		uint16_t reply = reply_slot(&r);
		rcv_into(&r, cold ? ipcb_ring_next(&ring) : ipc_buffer(self));
		err = ipc_return_receive(self, reply, &m, &r);
	}
	ipcb_ring_free(&ring);
	if (err < 0)
		kfail(c->job, cold ? "oneway server" : echo ? "echo server" : "hop_c", err);
	return err < 0 ? 1 : 0;
}

static int oneway_main(ipc_domain_t *self, void *arg)
{
	return server_main(self, arg, 1, 0);
}

static int echo_main(ipc_domain_t *self, void *arg)
{
	return server_main(self, arg, 0, 1);
}

static int hop_c_main(ipc_domain_t *self, void *arg)
{
	return server_main(self, arg, 0, 0);
}

/* hop_b: forward the string to hop_c, by tail call or by nested call. */
static int hop_b_main(ipc_domain_t *self, void *arg)
{
	struct kctx *c = arg;
	struct ipc_rcv r, r2;
	int err = ipcb_pin(c->job->regime->server_cpu);
	if (err < 0)
		return 1;
	rcv_into(&r, ipc_buffer(self));
	err = ipc_receive(self, &r, -1);
	while (err == 0 && r.code != CODE_QUIT) {
		struct ipc_msg m = { .code = r.code, .data = r.buf, .len = r.len };
		uint16_t reply = r.reply;
		if (r.code == CODE_TAIL) {
			m.ncaps = 1;
			m.caps[0] = reply;
			rcv_into(&r, ipc_buffer(self));
			err = ipc_return_receive(self, 0, &m, &r);
			continue;
		}
		rcv_into(&r2, NULL);
		r2.cap = 0;
		err = ipc_call(self, 0, &m, &r2);
		if (err < 0)
			break;
		const struct ipc_msg done = { .code = r2.code };
		rcv_into(&r, ipc_buffer(self));
		err = ipc_return_receive(self, reply, &done, &r);
	}
	if (err < 0)
		kfail(c->job, "hop_b", err);
	return err < 0 ? 1 : 0;
}

/* ---- the supervisor ---- */

int ipcb_kernel_run(struct ipcb_job *job)
{
	static const struct { const char *name; ipc_main_fn fn; } dom[NDOMAINS] = {
		{ "client", client_main }, { "oneway", oneway_main }, { "echo", echo_main },
		{ "hop_b", hop_b_main },   { "hop_c", hop_c_main },
	};
	struct ipc_config cfg = { .mode = IPC_MODE_PROCESS, .max_domains = NDOMAINS,
				  .inbox_bytes = IPCB_COLD_BYTES };
	ipc_kernel_t *k = NULL;
	unsigned id[NDOMAINS], port[NDOMAINS];
	struct kctx *c = calloc(1, sizeof *c);	/* each domain gets its own copy */
	if (!c)
		return -ENOMEM;
	c->job = job;
	for (size_t i = 0; i < IPCB_MAX_PAYLOAD; i++)
		c->payload[i] = (unsigned char)(i * 7 + 1);

	int err = ipc_kernel_create(&k, &cfg);
	const char *what = "ipc_kernel_create";
	for (int d = 0; d < NDOMAINS && err == 0; d++) {
		what = "ipc_domain_create";
		err = ipc_domain_create(k, dom[d].name, dom[d].fn, c, &id[d]);
		if (err == 0 && d != D_CLIENT) {
			what = "ipc_port_create";
			err = ipc_port_create(k, id[d], (uint64_t)d, &port[d]);
		}
	}
	what = err ? what : "ipc_grant";
	for (int d = D_ONEWAY; d < NDOMAINS && err == 0; d++)
		err = ipc_grant(k, id[D_CLIENT], (uint16_t)(d - D_ONEWAY), port[d]);
	if (err == 0)
		err = ipc_grant(k, id[D_HOP_B], 0, port[D_HOP_C]);
	if (err == 0) {
		what = "ipc_kernel_run";
		err = ipc_kernel_run(k);
	}
	if (err < 0)
		kfail(job, what, err);
	if (k)
		ipc_kernel_destroy(k);
	free(c);
	return err < 0 ? -EIO : job->res->err;
}
