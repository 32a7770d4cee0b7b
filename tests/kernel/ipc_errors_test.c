/*
 * ipc_errors_test.c - the errors, in both modes: empty and out-of-range
 * slots, a string over 64 KiB (nothing sent), a second use of a reply
 * capability from the same slot and from a copy held by another domain,
 * bad arguments; and the supervisor's own argument checks.
 */
#include "ipc_testlib.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OP_MARK = 100, OP_COPY = 101 };

/* The client: every error on its side, then one good call. */
static int er_client(ipc_domain_t *self, void *arg)
{
	char *big = calloc(1, IPC_MAX_STRING + 1);
	struct ipc_msg m = { .code = 1 };
	struct ipc_rcv r = { 0 };

	(void)arg;
	kt_val[0] = ipc_call(self, 5, &m, &r);			/* empty slot */
	kt_val[1] = ipc_send(self, 5000, &m, 0);		/* out of range */
	kt_val[2] = ipc_send(self, IPC_NO_SLOT, &m, 0);
	m.data = big;
	m.len = IPC_MAX_STRING + 1;
	kt_val[3] = ipc_call(self, 0, &m, &r);			/* too big */
	kt_val[4] = ipc_send(self, 0, &m, IPC_NONBLOCK);
	m.len = 0;
	m.ncaps = 1;
	m.caps[0] = 7;						/* passing an empty slot */
	kt_val[5] = ipc_send(self, 0, &m, 0);
	m.ncaps = IPC_MAX_CAPS + 1;
	kt_val[6] = ipc_send(self, 0, &m, 0);
	m.ncaps = 0;
	kt_val[7] = ipc_send(self, 0, &m, 0x80);		/* unknown flag */
	kt_val[8] = ipc_send(self, 0, NULL, 0);
	r.cap = 10;						/* buffer NULL, cap 10 */
	kt_val[9] = ipc_call(self, 0, &m, &r);
	r.cap = 0;
	kt_val[10] = ipc_send(self, 1, &m, 0);			/* its own entry port */
	kt_val[11] = ipc_send(self, 1, &m, IPC_NONBLOCK);
	kt_val[12] = ipc_cap_drop(self, 5);
	/* The good call: the server replies once, then tries the reply cap again. */
	m.code = OP_MARK;
	kt_val[13] = ipc_call(self, 0, &m, &r);
	kt_val[14] = r.code;
	/* A second call: the old copy held by the keeper must stay void. */
	m.code = OP_MARK + 1;
	kt_val[15] = ipc_call(self, 0, &m, &r);
	kt_val[16] = r.code;
	free(big);
	return 0;
}

/* The server: the first message it sees must be the good one. */
static int er_server(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 };
	struct ipc_msg m = { .code = 55 };
	int rc = ipc_receive(self, &r, -1);

	(void)arg;
	kt_val[20] = r.code;
	uint16_t reply = r.reply;
	/* Hand a copy of the reply capability to the keeper. */
	m.code = OP_COPY;
	m.ncaps = 1;
	m.caps[0] = reply;
	kt_val[21] = ipc_send(self, 0, &m, 0);
	m.ncaps = 0;
	m.code = 55;
	kt_val[22] = ipc_send(self, reply, &m, 0);		/* the one return */
	kt_val[23] = ipc_send(self, reply, &m, 0);		/* same slot again */
	kt_val[24] = ipc_call(self, reply, &m, &r);
	kt_val[25] = 1;						/* the keeper may try its copy */
	kt_wait_val(26, 1);
	rc = ipc_receive(self, &r, -1);				/* the second call */
	kt_val[27] = 1;
	kt_wait_val(28, 1);					/* the keeper tried meanwhile */
	m.code = 66;
	kt_val[29] = rc == 0 ? ipc_send(self, r.reply, &m, 0) : rc;
	return 0;
}

static int er_keeper(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 };
	struct ipc_msg m = { .code = 77 };

	(void)arg;
	kt_val[30] = ipc_receive(self, &r, -1) == 0 && r.code == OP_COPY && r.ncaps == 1;
	kt_wait_val(25, 1);
	kt_val[31] = ipc_send(self, r.caps[0], &m, 0);		/* the copy */
	kt_val[26] = 1;
	kt_wait_val(27, 1);		/* the client waits in its second call */
	kt_val[32] = ipc_send(self, r.caps[0], &m, 0);
	kt_val[28] = 1;
	return 0;
}

#define ER_TESTS 30
static void test_errors(enum ipc_mode mode)
{
	const char *mn = kt_mode_name(mode);
	struct kt t;

	kt_begin(&t, mode, NULL);
	unsigned c = kt_domain(&t, "client", er_client, NULL);
	unsigned s = kt_domain(&t, "server", er_server, NULL);
	unsigned k = kt_domain(&t, "keeper", er_keeper, NULL);
	kt_grant(&t, c, 0, kt_port(&t, s, 0));
	kt_grant(&t, c, 1, kt_port(&t, c, 0));
	kt_grant(&t, s, 0, kt_port(&t, k, 0));
	tap_is_int(kt_end(&t), 0, "%s: errors: kernel ran", mn);
	tap_is_int(kt_val[0], -IPC_EBADSLOT, "%s: call on an empty slot", mn);
	tap_is_int(kt_val[1], -IPC_EBADSLOT, "%s: send on an out-of-range slot", mn);
	tap_is_int(kt_val[2], -IPC_EBADSLOT, "%s: send on IPC_NO_SLOT", mn);
	tap_is_int(kt_val[3], -IPC_ETOOBIG, "%s: call with 64 KiB + 1", mn);
	tap_is_int(kt_val[4], -IPC_ETOOBIG, "%s: nonblocking send with 64 KiB + 1", mn);
	tap_is_int(kt_val[5], -IPC_EBADSLOT, "%s: passing an empty slot", mn);
	tap_is_int(kt_val[6], -IPC_EINVAL, "%s: passing 5 capabilities", mn);
	tap_is_int(kt_val[7], -IPC_EINVAL, "%s: unknown send flag", mn);
	tap_is_int(kt_val[8], -IPC_EINVAL, "%s: no message", mn);
	tap_is_int(kt_val[9], -IPC_EINVAL, "%s: receive buffer NULL with a size", mn);
	tap_is_int(kt_val[10], -IPC_EINVAL, "%s: blocking send to its own entry port", mn);
	tap_is_int(kt_val[11], -IPC_EAGAIN, "%s: nonblocking send to its own entry port", mn);
	tap_is_int(kt_val[12], -IPC_EBADSLOT, "%s: dropping an empty slot", mn);
	tap_is_int(kt_val[20], OP_MARK, "%s: nothing of the failed sends arrived", mn);
	tap_is_int(kt_val[21], 0, "%s: reply capability copied to another domain", mn);
	tap_is_int(kt_val[22], 0, "%s: first use of the reply capability", mn);
	tap_is_int(kt_val[13], 0, "%s: the call returned", mn);
	tap_is_int(kt_val[14], 55, "%s: ... with the first return's code", mn);
	tap_is_int(kt_val[23], -IPC_ECONSUMED, "%s: second use from the same slot", mn);
	tap_is_int(kt_val[24], -IPC_ECONSUMED, "%s: call on the used reply capability", mn);
	tap_ok(kt_val[30], "%s: the keeper received the copy", mn);
	tap_is_int(kt_val[31], -IPC_ECONSUMED, "%s: second use from the copy in another domain", mn);
	tap_is_int(kt_val[15], 0, "%s: second call returned", mn);
	tap_is_int(kt_val[16], 66, "%s: ... with the server's answer, not the keeper's", mn);
	tap_is_int(kt_val[32], -IPC_ECONSUMED, "%s: the old copy stays void during a new call", mn);
	tap_is_int(kt_val[29], 0, "%s: the new call's reply capability works", mn);
	tap_is_str(ipc_strerror(-IPC_ECONSUMED), "reply capability already used",
		   "%s: ipc_strerror names a code", mn);
	tap_is_str(ipc_strerror(IPC_EBADSLOT), "capability slot empty or out of range",
		   "%s: ... given either sign", mn);
	tap_is_str(ipc_strerror(-1000), "unknown IPC error", "%s: ... and an unknown one", mn);
}

#define SV_TESTS 10
static int sv_nop(ipc_domain_t *self, void *arg)
{
	(void)self;
	(void)arg;
	return 3;
}

static void test_supervisor(void)
{
	struct ipc_config bad = { .mode = (enum ipc_mode)7 };
	ipc_kernel_t *k = NULL;
	struct kt t;

	tap_is_int(ipc_kernel_create(&k, &bad), -IPC_EINVAL, "create: unknown mode");
	bad.mode = IPC_MODE_THREAD;
	bad.slots = IPC_NO_SLOT;
	tap_is_int(ipc_kernel_create(&k, &bad), -IPC_EINVAL, "create: too many slots");
	bad.slots = 0;
	bad.inbox_bytes = SIZE_MAX;	/* would wrap to 0 if rounded up first */
	tap_is_int(ipc_kernel_create(&k, &bad), -IPC_EINVAL, "create: receive area too large");
	kt_begin(&t, IPC_MODE_THREAD, &(struct ipc_config){ .max_domains = 1, .slots = 4 });
	unsigned d = kt_domain(&t, "only", sv_nop, NULL);
	unsigned p = kt_port(&t, d, 0);
	tap_is_int(ipc_domain_create(t.k, "two", sv_nop, NULL, NULL), -IPC_ENOMEM,
		   "domain_create: over max_domains");
	tap_is_int(ipc_port_create(t.k, 9, 0, NULL), -IPC_EINVAL, "port_create: no such domain");
	tap_is_int(ipc_grant(t.k, d, 4, p), -IPC_EBADSLOT, "grant: slot out of range");
	tap_is_int(ipc_grant(t.k, d, 0, p + 1), -IPC_EINVAL, "grant: no such port");
	tap_is_int(ipc_kernel_run(t.k), -IPC_EDEAD, "run: a domain returned non-zero");
	tap_is_int(ipc_domain_status(t.k, d), 3, "domain_status: what it returned");
	tap_is_int(ipc_kernel_run(t.k), -IPC_EINVAL, "run: only once");
	ipc_kernel_destroy(t.k);
}

int main(void)
{
	alarm(120);
	tap_plan(2 * ER_TESTS + SV_TESTS);
	for (int i = 0; i < 2; i++)
		test_errors(kt_modes[i]);
	test_supervisor();
	return tap_done();
}
