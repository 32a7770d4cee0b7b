/*
 * ipc_basic_test.c - each primitive, in thread and process mode: call and
 * return with code, words, badge and string; send order; receive timeout;
 * IPC_NONBLOCK; the 64 KiB string, a cut string and a receive in place;
 * capabilities passed in a message and used by the receiver.
 */
#define _GNU_SOURCE
#include "ipc_testlib.h"
#include "tap.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static bool words_are(const uint64_t *w, uint64_t a)
{
	for (unsigned i = 0; i < IPC_NWORDS; i++)
		if (w[i] != a + i)
			return false;
	return true;
}

/* Call and return. */

static int cr_server(ipc_domain_t *self, void *arg)
{
	static char buf[4096], out[1500];
	struct ipc_rcv r = { .buf = buf, .cap = sizeof buf };
	int rc = ipc_receive(self, &r, -1);

	(void)arg;
	kt_val[10] = rc;
	kt_val[11] = r.code;
	kt_val[12] = words_are(r.w, 1);
	kt_val[13] = (long)r.len;
	kt_val[14] = kt_check(buf, r.len, 11);
	kt_val[15] = (long)r.badge;
	kt_val[16] = r.reply != IPC_NO_SLOT;
	kt_fill(out, sizeof out, 12);
	struct ipc_msg m = { .code = 9, .w = { 5, 6, 7, 8 }, .data = out, .len = sizeof out };
	kt_val[17] = ipc_return_receive(self, r.reply, &m, &r);
	return 0;
}

static int cr_client(ipc_domain_t *self, void *arg)
{
	static char req[1000], buf[2000];
	struct ipc_msg m = { .code = 7, .w = { 1, 2, 3, 4 }, .data = req, .len = sizeof req };
	struct ipc_rcv r = { .buf = buf, .cap = sizeof buf };

	(void)arg;
	kt_fill(req, sizeof req, 11);
	kt_val[0] = ipc_call(self, 0, &m, &r);
	kt_val[1] = r.code;
	kt_val[2] = words_are(r.w, 5);
	kt_val[3] = (long)r.len;
	kt_val[4] = kt_check(buf, r.len, 12);
	kt_val[5] = r.reply == IPC_NO_SLOT;
	return 0;
}

#define CR_TESTS 15
static void test_call_return(enum ipc_mode mode)
{
	const char *mn = kt_mode_name(mode);
	struct kt t;

	kt_begin(&t, mode, NULL);
	unsigned s = kt_domain(&t, "server", cr_server, NULL);
	unsigned c = kt_domain(&t, "client", cr_client, NULL);
	kt_grant(&t, c, 0, kt_port(&t, s, 0xb1));
	tap_is_int(kt_end(&t), 0, "%s: call/return: kernel ran, every domain returned 0", mn);
	tap_is_int(kt_val[10], 0, "%s: server received", mn);
	tap_is_int(kt_val[11], 7, "%s: server got the request code", mn);
	tap_ok(kt_val[12], "%s: server got the request words", mn);
	tap_is_int(kt_val[13], 1000, "%s: server got 1000 bytes", mn);
	tap_ok(kt_val[14], "%s: request string intact", mn);
	tap_is_int(kt_val[15], 0xb1, "%s: server saw the entry port's badge", mn);
	tap_ok(kt_val[16], "%s: server got a reply capability", mn);
	tap_is_int(kt_val[17], -IPC_EDEAD, "%s: server's next receive ended by the kernel stopping", mn);
	tap_is_int(kt_val[0], 0, "%s: call returned 0", mn);
	tap_is_int(kt_val[1], 9, "%s: client got the result code", mn);
	tap_ok(kt_val[2], "%s: client got the result words", mn);
	tap_is_int(kt_val[3], 1500, "%s: client got 1500 bytes", mn);
	tap_ok(kt_val[4], "%s: result string intact", mn);
	tap_ok(kt_val[5], "%s: a reply carries no reply capability", mn);
}

/* Send, timeout, nonblocking, sizes. */

#define SZ_AREA (256 * 1024)	/* the receive area the sizes test asks for */

static int sz_server(ipc_domain_t *self, void *arg)
{
	char *buf = malloc(IPC_MAX_STRING);
	struct ipc_rcv r = { .buf = buf, .cap = IPC_MAX_STRING };
	struct timespec t0, t1;
	long order = 0, noreply = 1;

	(void)arg;
	kt_wait_val(40, 1);		/* the client tried IPC_NONBLOCK first */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kt_val[20] = ipc_receive(self, &r, 20000000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	kt_val[21] = (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) >= 20000000;
	kt_val[30] = 1;
	for (int i = 0; i < 3; i++) {
		if (i == 1)
			r.cap = 100;
		if (i == 2) {
			r.buf = ipc_buffer(self);
			r.cap = IPC_MAX_STRING;
		}
		if (ipc_receive(self, &r, -1) < 0)
			break;
		order = order * 10 + r.code;
		noreply &= r.reply == IPC_NO_SLOT;
		kt_val[24 + 2 * i] = (long)r.len;
		kt_val[25 + 2 * i] = kt_check(r.buf, r.len, 21 + i);
	}
	/* Inside a larger receive area, at an odd offset: the string lands
	 * there directly, and the area's start (the default place) stays as is. */
	unsigned char *area = ipc_buffer(self);
	kt_val[41] = ipc_buffer_size(self) >= SZ_AREA;
	memset(area, 0x5a, 64);
	r.buf = area + SZ_AREA - 9001;
	r.cap = IPC_MAX_STRING;		/* cut at the area's end by the kernel */
	if (ipc_receive(self, &r, -1) == 0) {
		order = order * 10 + r.code;
		kt_val[37] = (long)r.len;
		kt_val[38] = kt_check(r.buf, r.len, 24);
		kt_val[39] = area[0] == 0x5a && area[63] == 0x5a;
	}
	kt_val[22] = order;
	kt_val[23] = noreply;
	kt_val[36] = ipc_receive(self, &r, -1) == 0 ? (long)r.code : -1L;
	free(buf);
	return 0;
}

static int sz_client(ipc_domain_t *self, void *arg)
{
	static const size_t lens[4] = { IPC_MAX_STRING, 3000, 5000, 9000 };
	char *buf = malloc(IPC_MAX_STRING);
	struct ipc_msg m = { .data = buf };
	long tries = 0;

	(void)arg;
	kt_val[34] = ipc_send(self, 0, &m, IPC_NONBLOCK);
	kt_val[40] = 1;
	kt_wait_val(30, 1);
	for (int i = 0; i < 4; i++) {
		kt_fill(buf, lens[i], 21 + i);
		m.code = 1 + i;
		m.len = lens[i];
		kt_val[i < 3 ? 31 + i : 42] = ipc_send(self, 0, &m, 0);
	}
	m.code = 5;
	m.len = 0;
	do
		kt_val[35] = ipc_send(self, 0, &m, IPC_NONBLOCK);
	while (kt_val[35] == -IPC_EAGAIN && ++tries < 100000000 && (sched_yield(), 1));
	free(buf);
	return 0;
}

#define SZ_TESTS 22
static void test_sizes(enum ipc_mode mode)
{
	const char *mn = kt_mode_name(mode);
	const struct ipc_config cfg = { .inbox_bytes = SZ_AREA };
	struct kt t;

	kt_begin(&t, mode, &cfg);
	unsigned s = kt_domain(&t, "server", sz_server, NULL);
	unsigned c = kt_domain(&t, "client", sz_client, NULL);
	kt_grant(&t, c, 0, kt_port(&t, s, 0));
	tap_is_int(kt_end(&t), 0, "%s: sizes: kernel ran", mn);
	tap_is_int(kt_val[34], -IPC_EAGAIN, "%s: IPC_NONBLOCK to a busy receiver: EAGAIN", mn);
	tap_is_int(kt_val[20], -IPC_ETIMEDOUT, "%s: receive with nobody sending times out", mn);
	tap_ok(kt_val[21], "%s: ... after its timeout, not before", mn);
	for (int i = 0; i < 3; i++)
		tap_is_int(kt_val[31 + i], 0, "%s: send %d returned 0", mn, i + 1);
	tap_is_int(kt_val[42], 0, "%s: send 4 returned 0", mn);
	tap_is_int(kt_val[22], 1234, "%s: sends received in order", mn);
	tap_ok(kt_val[23], "%s: a send carries no reply capability", mn);
	tap_is_int(kt_val[24], IPC_MAX_STRING, "%s: a 64 KiB string arrives whole", mn);
	tap_ok(kt_val[25], "%s: ... intact", mn);
	tap_is_int(kt_val[26], 100, "%s: a string longer than the buffer is cut to it", mn);
	tap_ok(kt_val[27], "%s: ... its first 100 bytes intact", mn);
	tap_is_int(kt_val[28], 5000, "%s: received in place in ipc_buffer", mn);
	tap_ok(kt_val[29], "%s: ... intact", mn);
	tap_ok(kt_val[41], "%s: the receive area is as large as asked", mn);
	tap_is_int(kt_val[37], 9000, "%s: received in place at its area's end", mn);
	tap_ok(kt_val[38], "%s: ... intact", mn);
	tap_ok(kt_val[39], "%s: ... straight there: the area's start untouched", mn);
	tap_is_int(kt_val[35], 0, "%s: IPC_NONBLOCK to a receiving domain succeeds", mn);
	tap_is_int(kt_val[36], 5, "%s: ... and is received", mn);
}

/* Capabilities passed in a message. */

static int cap_target(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 };
	struct ipc_msg m = { 0 };
	int rc = ipc_receive(self, &r, -1);

	(void)arg;
	for (int i = 0; rc == 0; i++) {
		kt_val[51 + i] = (long)r.badge;
		rc = ipc_return_receive(self, r.reply, &m, &r);
	}
	return 0;
}

static int cap_middle(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 }, r2 = { 0 };
	struct ipc_msg m = { 0 };
	int rc = ipc_receive(self, &r, -1);

	(void)arg;
	kt_val[50] = r.ncaps;
	kt_val[55] = ipc_call(self, r.caps[0], &m, &r2);
	kt_val[56] = ipc_call(self, r.caps[3], &m, &r2);
	kt_val[57] = r.caps[0] != r.caps[3] && r.caps[0] != 0 && r.caps[3] != 0;
	if (rc == 0)
		ipc_send(self, r.reply, &m, 0);
	return 0;
}

static int cap_client(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { .ncaps = 4, .caps = { 1, 2, 3, 4 } };
	struct ipc_rcv r = { 0 };

	(void)arg;
	kt_val[53] = ipc_call(self, 0, &m, &r);
	return 0;
}

#define CAP_TESTS 8
static void test_caps(enum ipc_mode mode)
{
	const char *mn = kt_mode_name(mode);
	struct kt t;

	kt_begin(&t, mode, NULL);
	unsigned c = kt_domain(&t, "client", cap_client, NULL);
	unsigned b = kt_domain(&t, "middle", cap_middle, NULL);
	unsigned d = kt_domain(&t, "target", cap_target, NULL);
	kt_grant(&t, c, 0, kt_port(&t, b, 0));
	kt_grant(&t, b, 0, kt_port(&t, b, 0x99));	/* slot 0 is taken in the middle */
	for (uint16_t i = 1; i <= 4; i++)
		kt_grant(&t, c, i, kt_port(&t, d, 0xc0 + i));
	tap_is_int(kt_end(&t), 0, "%s: caps: kernel ran", mn);
	tap_is_int(kt_val[50], 4, "%s: four capabilities received", mn);
	tap_ok(kt_val[57], "%s: ... in distinct free slots", mn);
	tap_is_int(kt_val[55], 0, "%s: first received capability invoked", mn);
	tap_is_int(kt_val[51], 0xc1, "%s: ... it was the first one passed", mn);
	tap_is_int(kt_val[56], 0, "%s: fourth received capability invoked", mn);
	tap_is_int(kt_val[52], 0xc4, "%s: ... it was the fourth one passed", mn);
	tap_is_int(kt_val[53], 0, "%s: the client's call returned", mn);
}

int main(void)
{
	alarm(120);	/* a hang is a failure */
	tap_plan(2 * (CR_TESTS + SZ_TESTS + CAP_TESTS));
	for (int i = 0; i < 2; i++) {
		test_call_return(kt_modes[i]);
		test_sizes(kt_modes[i]);
		test_caps(kt_modes[i]);
	}
	return tap_done();
}
