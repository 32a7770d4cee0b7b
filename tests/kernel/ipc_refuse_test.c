/*
 * ipc_refuse_test.c - what the kernel refuses whole, in both modes:
 * capabilities passed to a full table (the sender gets -IPC_ENOMEM, the
 * receiver nothing, and a refused reply capability stays valid), a call
 * whose reply capability alone finds no slot (refused by the receiver: the
 * caller gets -IPC_ENOMEM, the receiver waits on; in a coroutine call, the
 * reply capability invoked stays valid), a
 * receive buffer running into the receive area from below; and the
 * handle queries given no handle.
 */
#include "ipc_testlib.h"
#include "tap.h"

#include <unistd.h>

#define RF_SLOTS 4	/* each domain's table: full from the start */

/* The receiver: every slot granted, so any passed capability finds none. */
static int rf_receiver(ipc_domain_t *self, void *arg)
{
	char *area = ipc_buffer(self);
	struct ipc_rcv r = { .buf = area - 16, .cap = 64 };
	struct ipc_msg m = { .code = 9, .ncaps = 1, .caps = { 1 } };

	(void)arg;
	kt_val[6] = ipc_receive(self, &r, 0);		/* runs 48 bytes into the area */
	r.buf = area - 64;
	kt_val[7] = ipc_receive(self, &r, 0);		/* ends where the area starts */
	r = (struct ipc_rcv){ 0 };
	kt_val[99] = 1;					/* the sender may start */
	kt_val[0] = ipc_receive(self, &r, -1);		/* the refused two never came */
	kt_val[1] = r.code;
	kt_val[2] = r.ncaps;
	ipc_cap_drop(self, 0);				/* room for a reply capability */
	kt_val[3] = ipc_receive(self, &r, -1);
	kt_val[4] = ipc_send(self, r.reply, &m, 0);	/* the caller's table is full */
	m.ncaps = 0;
	kt_val[5] = ipc_send(self, r.reply, &m, 0);	/* the same reply cap, no cap */
	ipc_cap_drop(self, 1);
	ipc_cap_drop(self, 2);
	kt_val[8] = ipc_receive(self, &r, -1);
	kt_val[9] = r.ncaps;
	return 0;
}

static int rf_sender(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { .code = 6, .ncaps = 2, .caps = { 1, 2 } };
	struct ipc_rcv r = { 0 };

	(void)arg;
	kt_wait_val(99, 1);
	kt_val[10] = ipc_send(self, 0, &m, 0);
	m.ncaps = 1;
	kt_val[11] = ipc_call(self, 0, &m, &r);		/* a reply cap and one more */
	m.ncaps = 0;
	m.code = 7;
	kt_val[12] = ipc_send(self, 0, &m, 0);
	m.code = 8;
	kt_val[13] = ipc_call(self, 0, &m, &r);
	kt_val[14] = r.code;
	kt_val[15] = r.ncaps;
	m.ncaps = 2;
	kt_val[16] = ipc_send(self, 0, &m, 0);
	return 0;
}

#define RF_TESTS 14
static void test_full_table(enum ipc_mode mode)
{
	const char *mn = kt_mode_name(mode);
	struct ipc_config cfg = { .slots = RF_SLOTS };
	struct kt t;

	kt_begin(&t, mode, &cfg);
	unsigned s = kt_domain(&t, "sender", rf_sender, NULL);
	unsigned d = kt_domain(&t, "receiver", rf_receiver, NULL);
	unsigned x = kt_port(&t, d, 0);
	kt_grant(&t, s, 0, kt_port(&t, d, 1));
	for (uint16_t i = 1; i < RF_SLOTS; i++)
		kt_grant(&t, s, i, x);
	for (uint16_t i = 0; i < RF_SLOTS; i++)
		kt_grant(&t, d, i, x);
	tap_is_int(kt_end(&t), 0, "%s: full table: kernel ran", mn);
	tap_is_int(kt_val[6], -IPC_EINVAL, "%s: a buffer running into the area is refused", mn);
	tap_is_int(kt_val[7], -IPC_ETIMEDOUT, "%s: ... one ending where it starts is not", mn);
	tap_is_int(kt_val[10], -IPC_ENOMEM, "%s: send of 2 caps to a full table: the sender told", mn);
	tap_is_int(kt_val[11], -IPC_ENOMEM, "%s: call with a cap to a full table: the caller told", mn);
	tap_is_int(kt_val[0], 0, "%s: the receiver still waits", mn);
	tap_is_int(kt_val[1], 7, "%s: ... and its first message is the next one sent", mn);
	tap_is_int(kt_val[2], 0, "%s: ... with no capability", mn);
	tap_is_int(kt_val[3], 0, "%s: a call received once a slot is free", mn);
	tap_is_int(kt_val[4], -IPC_ENOMEM, "%s: a reply with a cap to a full table: refused", mn);
	tap_is_int(kt_val[5], 0, "%s: ... its reply capability still valid", mn);
	tap_ok(kt_val[13] == 0 && kt_val[14] == 9 && kt_val[15] == 0,
	       "%s: the call got only the second reply (%ld, code %ld, %ld caps)", mn,
	       kt_val[13], kt_val[14], kt_val[15]);
	tap_is_int(kt_val[16], 0, "%s: two caps sent once two slots are free", mn);
	tap_ok(kt_val[8] == 0 && kt_val[9] == 2, "%s: ... and received (%ld, %ld caps)", mn,
	       kt_val[8], kt_val[9]);
}

/* A full table (every slot granted) receives a call: refused, then a send. */
static int rr_full(ipc_domain_t *self, void *arg)
{
	const struct ipc_msg m = { .code = 9 };
	struct ipc_rcv r = { 0 };

	(void)arg;
	kt_val[41] = ipc_receive(self, &r, -1);
	kt_val[42] = r.code;
	kt_val[43] = r.reply == IPC_NO_SLOT;
	ipc_cap_drop(self, 0);				/* room for a reply capability */
	int rc = ipc_receive(self, &r, -1);
	kt_val[44] = rc == 0 && r.code == 8 && r.reply != IPC_NO_SLOT;
	kt_val[45] = ipc_send(self, r.reply, &m, 0);
	return 0;
}

static int rr_caller(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { .code = 6 };
	struct ipc_rcv r = { 0 };

	(void)arg;
	kt_val[46] = ipc_call(self, 0, &m, &r);		/* no slot for its reply cap */
	m.code = 7;
	kt_val[47] = ipc_send(self, 0, &m, 0);
	m.code = 8;
	kt_val[48] = ipc_call(self, 0, &m, &r);
	kt_val[49] = r.code;
	return 0;
}

/* A coroutine: a calls b with a full table; b calls a's reply capability. */
static int rr_co_a(ipc_domain_t *self, void *arg)
{
	(void)arg;
	kt_call_record(self, 10, 50);
	return 0;
}

/* b: refused, takes c's call (its reply cap must not land on a's), answers both. */
static int rr_co_b(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { .code = 11 };
	struct ipc_rcv r = { 0 }, r2 = { 0 };

	(void)arg;
	int rc = ipc_receive(self, &r, -1);
	uint16_t a = r.reply;
	kt_val[52] = rc < 0 ? rc : ipc_call(self, a, &m, &r2);	/* a has no slot */
	kt_val[54] = 1;
	rc = ipc_receive(self, &r, -1);
	kt_val[55] = rc == 0 && r.code == 13 && r.reply != a;
	m.code = 12;
	kt_val[53] = ipc_send(self, a, &m, 0);
	m.code = 14;
	kt_val[56] = rc < 0 ? rc : ipc_send(self, r.reply, &m, 0);
	return 0;
}

static int rr_co_c(ipc_domain_t *self, void *arg)
{
	(void)arg;
	kt_wait_val(54, 1);
	kt_call_record(self, 13, 57);
	return 0;
}

#define RR_TESTS 10
static void test_reply_no_room(enum ipc_mode mode)
{
	const char *mn = kt_mode_name(mode);
	struct ipc_config cfg = { .slots = RF_SLOTS };
	struct kt t;

	kt_begin(&t, mode, &cfg);
	unsigned d = kt_domain(&t, "full", rr_full, NULL);
	unsigned p = kt_port(&t, d, 0);
	kt_grant(&t, kt_domain(&t, "caller", rr_caller, NULL), 0, p);
	unsigned b = kt_domain(&t, "co_b", rr_co_b, NULL);
	unsigned a = kt_domain(&t, "co_a", rr_co_a, NULL);
	unsigned pb = kt_port(&t, b, 0);
	kt_grant(&t, kt_domain(&t, "co_c", rr_co_c, NULL), 0, pb);
	for (uint16_t i = 0; i < RF_SLOTS; i++) {
		kt_grant(&t, d, i, p);
		kt_grant(&t, a, i, pb);
	}
	tap_is_int(kt_end(&t), 0, "%s: reply cap, no slot: kernel ran", mn);
	tap_is_int(kt_val[46], -IPC_ENOMEM, "%s: a null call to a full table: the caller told", mn);
	tap_ok(kt_val[41] == 0 && kt_val[42] == 7 && kt_val[43],
	       "%s: ... the receiver got nothing: the next message is the send (%ld, code %ld)", mn,
	       kt_val[41], kt_val[42]);
	tap_is_int(kt_val[47], 0, "%s: ... which went through", mn);
	tap_ok(kt_val[44] && kt_val[45] == 0 && kt_val[48] == 0 && kt_val[49] == 9,
	       "%s: once a slot is free, a call and its answer (%ld, code %ld)", mn, kt_val[48],
	       kt_val[49]);
	tap_is_int(kt_val[52], -IPC_ENOMEM, "%s: a coroutine call to a full table: refused", mn);
	tap_is_int(kt_val[53], 0, "%s: ... the reply capability it invoked still valid", mn);
	tap_ok(kt_val[55], "%s: ... so the next one received does not take its slot", mn);
	tap_ok(kt_val[56] == 0 && kt_val[57] == 0 && kt_val[58] == 14,
	       "%s: ... and answers its own call (%ld: %ld, code %ld)", mn, kt_val[56], kt_val[57],
	       kt_val[58]);
	tap_ok(kt_val[50] == 0 && kt_val[51] == 12, "%s: ... and the first call got that answer "
	       "(%ld, code %ld)", mn, kt_val[50], kt_val[51]);
}

#define NH_TESTS 3
static void test_no_handle(void)
{
	tap_ok(ipc_self_id(NULL) == IPC_NO_DOMAIN, "ipc_self_id(NULL): IPC_NO_DOMAIN");
	tap_ok(ipc_buffer(NULL) == NULL, "ipc_buffer(NULL): NULL");
	tap_ok(ipc_buffer_size(NULL) == 0, "ipc_buffer_size(NULL): 0");
}

int main(void)
{
	alarm(120);	/* a hang is a failure */
	tap_plan(2 * (RF_TESTS + RR_TESTS) + NH_TESTS);
	for (int i = 0; i < 2; i++) {
		test_full_table(kt_modes[i]);
		test_reply_no_room(kt_modes[i]);
	}
	test_no_handle();
	return tap_done();
}
