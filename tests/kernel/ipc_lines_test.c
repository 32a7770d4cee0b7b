/*
 * ipc_lines_test.c - the handoff moves one cache line: a null call and its
 * reply each write exactly one line that the receiver reads (its handoff
 * line: state word, header, reply capability); the caps line and the
 * string's lines only when there are some. Deterministic: the domains are
 * not run; the test plays both sides with their handles, sets the
 * receiver's state by hand, and compares the whole shared mapping before
 * and after one delivery, 64 bytes at a time. Lines about to be written
 * are first filled with a pattern no delivery writes, so that a store of
 * an equal value cannot hide.
 */
#include "ipc_impl.h"
#include "ipc_testlib.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

#define POISON 0xa5
#define MAXL 8		/* changed lines recorded */

struct lines {
	unsigned n;
	size_t off[MAXL];	/* offsets in the mapping of the changed lines */
};

static size_t dom_off(const struct ipc_shared *sh, unsigned id)
{
	return (size_t)((const char *)ipc_dom_at(sh, id) - (const char *)sh);
}

/* The lines of the mapping that differ from the snapshot, but for the
 * sender's own line of counters (epoch, peer), which no receiver reads. */
static void diff(const struct ipc_shared *sh, const unsigned char *snap, unsigned sender,
		 struct lines *out)
{
	size_t own = dom_off(sh, sender) + offsetof(struct ipc_dom, epoch);

	out->n = 0;
	for (size_t o = 0; o < sh->size; o += IPC_LINE)
		if (o != own / IPC_LINE * IPC_LINE &&
		    memcmp((const char *)sh + o, snap + o, IPC_LINE) != 0 && out->n++ < MAXL)
			out->off[out->n - 1] = o;
}

/* Poison what a delivery to domain t may write (all of its handoff line
 * but the state word, its caps line, the head of its inbox), then snapshot. */
static void prepare(struct ipc_shared *sh, unsigned t, unsigned char *snap)
{
	struct ipc_dom *d = ipc_dom_at(sh, t);

	memset((char *)&d->h + sizeof d->h.rword, POISON, sizeof d->h - sizeof d->h.rword);
	memset((void *)d->caps, POISON, sizeof d->caps);
	memset(ipc_inbox_of(sh, t), POISON, 4 * IPC_LINE);
	memcpy(snap, sh, sh->size);
}

static bool only(const struct lines *l, size_t a, size_t b, size_t c, size_t e)
{
	size_t want[4] = { a, b, c, e };
	unsigned nwant = 0;

	for (unsigned i = 0; i < 4; i++)
		nwant += want[i] != 0;
	if (l->n != nwant)
		return false;
	for (unsigned i = 0; i < l->n; i++) {
		bool found = false;
		for (unsigned j = 0; j < 4; j++)
			found |= want[j] == l->off[i];
		if (!found)
			return false;
	}
	return true;
}

/* The domains are not run: the test drives their handles itself. */
static int never_run(ipc_domain_t *self, void *arg)
{
	(void)self;
	(void)arg;
	return 1;
}

int main(void)
{
	tap_plan(13);

	tap_ok(sizeof(struct ipc_hand) == IPC_LINE, "the handoff line is one cache line");
	tap_ok(offsetof(struct ipc_dom, h) == 0 && _Alignof(struct ipc_dom) == IPC_LINE,
	       "a domain starts with its handoff line, line-aligned");
	tap_ok(offsetof(struct ipc_dom, caps) == IPC_LINE &&
	       offsetof(struct ipc_dom, rcap) == 2 * IPC_LINE,
	       "passed caps in the next line, receive parameters in the one after");
	tap_ok(offsetof(struct ipc_dom, seq) == 3 * IPC_LINE &&
	       offsetof(struct ipc_dom, nsleep) / IPC_LINE == 3 &&
	       offsetof(struct ipc_dom, cpu) / IPC_LINE == 3,
	       "the wake words (every delivery reads nsleep) apart from the receive "
	       "parameters (a receiver that moves its buffer writes them at each receive)");

	struct ipc_config cfg = { .mode = IPC_MODE_THREAD, .max_domains = 2 };
	ipc_kernel_t *k = NULL;
	unsigned c = 0, s = 0, port = 0;
	int rc = ipc_kernel_create(&k, &cfg);
	if (rc == 0)
		rc = ipc_domain_create(k, "client", never_run, NULL, &c);
	if (rc == 0)
		rc = ipc_domain_create(k, "server", never_run, NULL, &s);
	if (rc == 0)
		rc = ipc_port_create(k, s, 7, &port);
	if (rc == 0)
		rc = ipc_grant(k, c, 0, port);
	unsigned char *snap = k ? malloc(k->sh->size) : NULL;
	if (rc != 0 || !snap) {
		tap_ok(false, "kernel set-up: %s", ipc_strerror(rc));
		return tap_done();
	}
	struct ipc_shared *sh = k->sh;
	struct ipc_domain cli = ipc_domain_of(sh, c), srv = ipc_domain_of(sh, s);
	size_t s_hand = dom_off(sh, s), c_hand = dom_off(sh, c);
	size_t s_caps = s_hand + IPC_LINE, s_inbox = (size_t)(ipc_inbox_of(sh, s) - (unsigned char *)sh);
	struct lines l;

	/* A null call to an open receiver: its handoff line, nothing else. */
	struct ipc_dom *sd = ipc_dom_at(sh, s), *cd = ipc_dom_at(sh, c);
	sd->rcap = IPC_MAX_STRING;
	atomic_store(&sd->h.rword, ipc_rw(IPC_S_OPEN, 0, 0));
	prepare(sh, s, snap);
	const struct ipc_msg null = { .code = 1 };
	rc = ipc_send(&cli, 0, &null, IPC_NONBLOCK);
	tap_is_int(rc, 0, "null send delivered");
	diff(sh, snap, c, &l);
	tap_ok(only(&l, s_hand, 0, 0, 0), "a null send writes one line: the receiver's handoff line (%u)",
	       l.n);
	tap_ok(ipc_dom_state(sd) == IPC_S_FULL && sd->h.badge == 7 &&
	       ipc_meta_len(atomic_load(&sd->h.meta)) == 0, "and that line holds the whole message");

	/* The reply to a caller waiting with gen 5: the caller's handoff line. */
	atomic_store(&cd->h.rword, ipc_rw(IPC_S_WAIT_REPLY, 0, 5));
	atomic_store(&ipc_caps_of(sh, s)[1], ipc_cap(IPC_CAP_REPLY, c, 5));
	prepare(sh, c, snap);
	rc = ipc_send(&srv, 1, &null, 0);
	tap_is_int(rc, 0, "reply delivered");
	diff(sh, snap, s, &l);
	tap_ok(only(&l, c_hand, 0, 0, 0), "a null reply writes one line: the caller's handoff line (%u)",
	       l.n);
	tap_ok(ipc_dom_state(cd) == IPC_S_FULL && ipc_rw_gen(atomic_load(&cd->h.rword)) == 6,
	       "the reply bumped the gen in that line (every copy of the capability void)");

	/* A capability and 100 bytes: add the caps line and two inbox lines. */
	atomic_store(&sd->h.rword, ipc_rw(IPC_S_OPEN, 0, 0));
	prepare(sh, s, snap);
	unsigned char str[100];
	kt_fill(str, sizeof str, 3);
	const struct ipc_msg full = { .code = 2, .ncaps = 1, .caps = { 0 }, .data = str,
				      .len = sizeof str };
	rc = ipc_send(&cli, 0, &full, IPC_NONBLOCK);
	tap_is_int(rc, 0, "send with a cap and a string delivered");
	diff(sh, snap, c, &l);
	tap_ok(only(&l, s_hand, s_caps, s_inbox, s_inbox + IPC_LINE),
	       "a cap and 100 bytes: the handoff, caps and two string lines (%u)", l.n);

	/* A sink gets its (long) string by the non-temporal copy, intact. */
	static unsigned char big[20000];
	kt_fill(big, sizeof big, 4);
	atomic_store(&sd->h.rword, ipc_rw(IPC_S_OPEN, 0, 0));
	rc = ipc_rcv_mode(&srv, IPC_RCV_SINK);
	const struct ipc_msg longm = { .code = 3, .data = big, .len = sizeof big };
	if (rc == 0)
		rc = ipc_send(&cli, 0, &longm, IPC_NONBLOCK);
	tap_ok(rc == 0 && kt_check(ipc_inbox_of(sh, s), sizeof big, 4) &&
	       ipc_rcv_mode(&srv, 2) == -IPC_EINVAL,
	       "a sink's string arrives whole; unknown receive modes are refused");

	free(snap);
	ipc_kernel_destroy(k);
	return tap_done();
}
