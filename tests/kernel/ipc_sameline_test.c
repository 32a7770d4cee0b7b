/*
 * ipc_sameline_test.c - a call's reply goes back in the line the call came
 * in on (ipc_impl.h): the callee answers in its own handoff line and the
 * caller takes it from there. In both modes: the reply (and its string)
 * arrives without a write to the caller's handoff line; the reply
 * capability so held is still one-shot (a reply through a copy first,
 * then through the slot: refused); a call and a receive of the callee
 * give it back to the caller's line, where it is answered as before. In
 * process mode: a reply landing in the line after its caller died is
 * dropped and counted by the next sender, which is served; a callee
 * that dies holding the reply capability in its line fails its caller
 * with -IPC_EDEAD (the supervisor), not only the kernel's stop.
 */
#define _GNU_SOURCE
#include "ipc_impl.h"	/* the caller's line, the table, the drop count */
#include "ipc_testlib.h"
#include "tap.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#define SL_MARK 0xdeadbeefu	/* in the caller's line: no reply writes it */
#define SL_STR 300		/* bytes of the string reply */

/* The caller: three calls; before each, a mark in its own line's header. */
static int sl_client(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { .code = 1 };
	unsigned char buf[SL_STR];
	struct ipc_rcv r = { .buf = buf, .cap = sizeof buf };

	(void)arg;
	self->d->h.code = SL_MARK;
	kt_val[0] = ipc_call(self, 0, &m, &r);
	kt_val[1] = r.code == 11 && r.len == SL_STR && kt_check(buf, SL_STR, 5);
	kt_val[2] = self->d->h.code == SL_MARK;
	m.code = 2;
	kt_val[3] = ipc_call(self, 0, &m, &r);		/* answered through a copy */
	kt_val[4] = r.code;
	m.code = 3;
	kt_val[5] = ipc_call(self, 0, &m, &r);		/* held across a nested call */
	kt_val[6] = r.code;
	return 0;
}

/* Nested: answers the server's call at once. */
static int sl_helper(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { .code = 40 };
	struct ipc_rcv r = { 0 };
	int rc = ipc_receive(self, &r, -1);

	(void)arg;
	return rc == 0 ? ipc_send(self, r.reply, &m, 0) : rc;
}

static int sl_server(ipc_domain_t *self, void *arg)
{
	unsigned char str[SL_STR];
	struct ipc_msg m = { .code = 11, .data = str, .len = sizeof str };
	struct ipc_rcv r = { 0 }, r2 = { 0 };
	int rc = ipc_receive(self, &r, -1);

	(void)arg;
	kt_fill(str, sizeof str, 5);
	uint16_t first = r.reply;
	if (rc == 0)	/* the first reply, a string: in our line */
		rc = ipc_return_receive(self, first, &m, &r);
	kt_val[10] = rc == 0 && r.code == 2 && r.reply == first;
	/* A copy of the second call's reply capability, in slot 9 (what
	 * passing it in a message would put in another table): answer
	 * through it, then through the slot: one-shot. */
	atomic_store(&self->tab[9], atomic_load(&self->tab[r.reply]));
	m = (struct ipc_msg){ .code = 22 };
	kt_val[11] = ipc_send(self, 9, &m, 0);
	kt_val[12] = ipc_return_receive(self, r.reply, &m, &r);
	kt_val[13] = ipc_receive(self, &r, -1) == 0 && r.code == 3;
	/* Hold the third call's reply capability across a call of our own. */
	kt_val[14] = ipc_call(self, 1, &m, &r2) == 0 && r2.code == 40;
	m.code = 33;
	kt_val[15] = ipc_send(self, r.reply, &m, 0);
	return 0;
}

#define SL_TESTS 11
static void test_sameline(enum ipc_mode mode)
{
	const char *mn = kt_mode_name(mode);
	struct kt t;

	kt_begin(&t, mode, NULL);
	unsigned s = kt_domain(&t, "server", sl_server, NULL);
	unsigned h = kt_domain(&t, "helper", sl_helper, NULL);
	unsigned c = kt_domain(&t, "client", sl_client, NULL);
	kt_grant(&t, c, 0, kt_port(&t, s, 0));
	kt_grant(&t, s, 1, kt_port(&t, h, 0));
	tap_is_int(kt_end(&t), 0, "%s: run", mn);
	tap_is_int(kt_val[0], 0, "%s: the call returned", mn);
	tap_ok(kt_val[1], "%s: its reply came whole, with its string", mn);
	tap_ok(kt_val[2], "%s: and wrote nothing in the caller's handoff line", mn);
	tap_ok(kt_val[10], "%s: the server answered and received the next call in one", mn);
	tap_is_int(kt_val[11], 0, "%s: a reply through a copy of the held reply capability", mn);
	tap_is_int(kt_val[12], -IPC_ECONSUMED, "%s: then through its slot: used up", mn);
	tap_ok(kt_val[3] == 0 && kt_val[4] == 22, "%s: the caller got the copy's reply", mn);
	tap_ok(kt_val[13], "%s: the server received the third call", mn);
	tap_ok(kt_val[14] && kt_val[15] == 0, "%s: held across a call of its own, then answered", mn);
	tap_ok(kt_val[5] == 0 && kt_val[6] == 33, "%s: the caller got that reply", mn);
}

#define DD_VICTIM 0	/* the dead caller's domain id (test_deaths) */

/* The dead caller: killed by the server while it waits for the reply. */
static int dr_victim(ipc_domain_t *self, void *arg)
{
	(void)arg;
	kt_val[20] = getpid();
	kt_call_record(self, 1, 21);
	return 0;
}

static void until_state(const ipc_domain_t *self, unsigned id, unsigned st, int tries)
{
	while (ipc_dom_state(ipc_dom_at(self->sh, id)) != st && tries-- > 0)
		usleep(100);
}

static int dr_server(ipc_domain_t *self, void *arg)
{
	const struct ipc_msg m = { .code = 7 };
	struct ipc_rcv r = { 0 };
	int rc = ipc_receive(self, &r, -1);

	(void)arg;
	if (rc == 0) {
		kill((pid_t)kt_val[20], SIGKILL);
		until_state(self, DD_VICTIM, IPC_S_DEAD, 1000000);
		rc = ipc_return_receive(self, r.reply, &m, &r);	/* to the dead */
	}
	kt_val[25] = rc == 0 && r.code == 9;
	return rc == 0 ? ipc_send(self, r.reply, &m, 0) : rc;
}

/* The next caller: once the victim is dead. Its claim of the server's
 * line finds the reply to the dead there: dropped, counted. */
static int dr_next(ipc_domain_t *self, void *arg)
{
	(void)arg;
	until_state(self, DD_VICTIM, IPC_S_DEAD, 1000000);
	kt_call_record(self, 9, 27);
	kt_val[26] = atomic_load(&self->sh->dropped);
	return 0;
}

/* The dead callee: it dies holding the call's reply capability. */
static int dc_caller(ipc_domain_t *self, void *arg)
{
	(void)arg;
	kt_call_record(self, 1, 30);
	kt_val[32] = 1;
	return 0;
}

static int dc_callee(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 };

	(void)arg;
	if (ipc_receive(self, &r, -1) == 0)
		kill(getpid(), SIGKILL);
	return 0;
}

/* Never blocked (its receives time out), so the kernel does not stop:
 * only the supervisor's failing of the caller can end the call before
 * it gives up, after 5 s. */
static int dc_ticker(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 };

	(void)arg;
	for (int i = 0; i < 5000 && !kt_val[32]; i++)
		ipc_receive(self, &r, 1000000);
	kt_val[33] = kt_val[32];
	return 0;
}

/* Both deaths in one process-mode run, the domains in this order (the
 * victim is domain 0): the victim's server and the callee that kills
 * itself each have a port. */
static const struct {
	const char *name;
	ipc_main_fn fn;
} dd_doms[] = {
	{ "victim", dr_victim }, { "server", dr_server }, { "next", dr_next },
	{ "caller", dc_caller }, { "callee", dc_callee }, { "ticker", dc_ticker },
};

#define DD_TESTS 6
static void test_deaths(void)
{
	struct kt t;

	kt_begin(&t, IPC_MODE_PROCESS, NULL);
	for (unsigned i = 0; i < sizeof dd_doms / sizeof dd_doms[0]; i++)
		kt_domain(&t, dd_doms[i].name, dd_doms[i].fn, NULL);
	unsigned server = kt_port(&t, 1, 0);
	kt_grant(&t, 0, 0, server);
	kt_grant(&t, 2, 0, server);
	kt_grant(&t, 3, 0, kt_port(&t, 4, 0));
	tap_is_int(kt_end(&t), -IPC_EDEAD, "deaths: run reports them");
	tap_is_int(kt_val[26], 1, "dead caller: the reply in the server's line dropped, counted");
	tap_ok(kt_val[25], "dead caller: the server received the next call");
	tap_ok(kt_val[27] == 0 && kt_val[28] == 7, "dead caller: the next caller was answered");
	tap_is_int(kt_val[30], -IPC_EDEAD, "dead callee: the caller gets EDEAD");
	tap_ok(kt_val[33], "dead callee: from the supervisor, with the kernel still running");
}

int main(void)
{
	alarm(120);
	tap_plan(2 * SL_TESTS + DD_TESTS);
	for (int i = 0; i < 2; i++)
		test_sameline(kt_modes[i]);
	test_deaths();
	return tap_done();
}
