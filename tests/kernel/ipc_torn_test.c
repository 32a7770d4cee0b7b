/*
 * ipc_torn_test.c - a sender that dies in the middle of copying its string
 * (process mode): its 64 KiB string ends in an unreadable page, so the
 * copy into the receiver faults after 60 KiB, and the fault kills it. The
 * receiver must never see that half message, and must take the next
 * sender's message whole, once the supervisor has undone the dead claim.
 */
#define _GNU_SOURCE
#include "ipc_impl.h"	/* to see when the crasher is dead */
#include "ipc_testlib.h"
#include "tap.h"

#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define TN_LEN 1000		/* the good sender's string */
enum { TN_GOOD = 2 };

static void tn_die(int sig)
{
	(void)sig;
	raise(SIGKILL);		/* a plain death, whatever handler ASan keeps */
}

/* Send a 64 KiB string whose last page cannot be read. */
static int tn_crasher(ipc_domain_t *self, void *arg)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *buf = mmap(NULL, IPC_MAX_STRING, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct ipc_msg m = { .code = 1, .data = buf, .len = IPC_MAX_STRING };
	struct sigaction sa = { .sa_handler = tn_die };

	(void)arg;
	if (buf == MAP_FAILED)
		return 1;
	memset(buf, 0xab, IPC_MAX_STRING);
	if (mprotect(buf + IPC_MAX_STRING - page, (size_t)page, PROT_NONE) < 0 ||
	    sigaction(SIGSEGV, &sa, NULL) < 0 || sigaction(SIGBUS, &sa, NULL) < 0)
		return 1;
	kt_val[1] = ipc_send(self, 0, &m, 0);	/* never returns */
	return 0;
}

static int tn_good(ipc_domain_t *self, void *arg)
{
	unsigned crasher = *(const unsigned *)arg;
	unsigned char buf[TN_LEN];
	struct ipc_msg m = { .code = TN_GOOD, .data = buf, .len = TN_LEN };

	while (ipc_dom_state(ipc_dom_at(self->sh, crasher)) != IPC_S_DEAD)
		usleep(100);
	kt_fill(buf, TN_LEN, 77);
	kt_val[2] = ipc_send(self, 0, &m, 0);
	return 0;
}

static int tn_receiver(ipc_domain_t *self, void *arg)
{
	static unsigned char buf[IPC_MAX_STRING];
	struct ipc_rcv r = { .buf = buf, .cap = sizeof buf };
	int rc;

	(void)arg;
	while ((rc = ipc_receive(self, &r, -1)) == 0) {
		kt_val[10]++;
		kt_val[11] = r.code;
		kt_val[12] = (long)r.len;
		kt_val[13] = kt_check(buf, r.len, 77);
	}
	kt_val[14] = rc;
	return 0;
}

int main(void)
{
	struct kt t;
	unsigned crasher;

	alarm(60);
	tap_plan(8);
	kt_begin(&t, IPC_MODE_PROCESS, NULL);
	unsigned rcv = kt_domain(&t, "receiver", tn_receiver, NULL);
	crasher = kt_domain(&t, "crasher", tn_crasher, NULL);
	unsigned good = kt_domain(&t, "good", tn_good, &crasher);
	unsigned port = kt_port(&t, rcv, 0);
	kt_grant(&t, crasher, 0, port);
	kt_grant(&t, good, 0, port);
	int rc = ipc_kernel_run(t.k);
	tap_is_int(rc, -IPC_EDEAD, "torn: run reports the dead sender");
	tap_is_int(ipc_domain_status(t.k, crasher), -IPC_EDEAD, "torn: the sender died in its send");
	ipc_kernel_destroy(t.k);
	tap_is_int(kt_val[2], 0, "torn: the next sender got through after the dead claim");
	tap_is_int(kt_val[10], 1, "torn: the receiver got one message, not the half one");
	tap_is_int(kt_val[11], TN_GOOD, "torn: ... the next sender's");
	tap_is_int(kt_val[12], TN_LEN, "torn: ... its whole length");
	tap_ok(kt_val[13], "torn: ... intact");
	tap_is_int(kt_val[14], -IPC_EDEAD, "torn: the receiver was stopped at the end");
	return tap_done();
}
