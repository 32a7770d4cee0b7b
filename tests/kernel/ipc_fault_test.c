/*
 * ipc_fault_test.c - dead domains and what they leave behind.
 *
 * A domain killed mid-call (by itself, or by another domain while it waits
 * in a nested call), a thread-mode domain that returns holding a reply cap,
 * a reply cap dropped unanswered, two domains calling each other, a sender
 * killed in the middle of a queue, the supervisor itself killed: every
 * domain blocked on the dead one gets -IPC_EDEAD, never hangs. Then the
 * leftovers: no /dev/shm entry, no process, no fd or mapping of a memfd.
 */
#define _GNU_SOURCE
#include "ipc_impl.h"	/* to watch queues and states */
#include "ipc_testlib.h"
#include "tap.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void until_queue(const ipc_domain_t *self, unsigned target, unsigned len)
{
	while (ipc_queue_len(ipc_dom_at(self->sh, target)) != len)
		usleep(100);
}

static void until_dead(const ipc_domain_t *self, unsigned target)
{
	while (ipc_dom_state(ipc_dom_at(self->sh, target)) != IPC_S_DEAD)
		usleep(100);
}

/* 1. B kills itself while serving A's call, with C queued behind. */

static int k1_a(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { 0 };
	struct ipc_rcv r = { 0 };
	struct timespec t0, t1;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kt_val[0] = ipc_call(self, 0, &m, &r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	kt_val[1] = (t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000;
	kt_val[2] = ipc_call(self, 0, &m, &r);		/* B is gone now */
	return 0;
}

static int k1_b(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 };

	(void)arg;
	ipc_receive(self, &r, -1);
	kt_val[3] = 1;
	until_queue(self, self->id, 1);			/* C waits behind */
	raise(SIGKILL);
	return 0;
}

static int k1_c(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { 0 };

	(void)arg;
	kt_wait_val(3, 1);
	kt_val[4] = ipc_send(self, 0, &m, 0);
	return 0;
}

#define K1_TESTS 6
static void test_kill_self(void)
{
	struct kt t;

	kt_begin(&t, IPC_MODE_PROCESS, NULL);
	unsigned a = kt_domain(&t, "a", k1_a, NULL);
	unsigned b = kt_domain(&t, "b", k1_b, NULL);
	unsigned c = kt_domain(&t, "c", k1_c, NULL);
	unsigned p = kt_port(&t, b, 0);
	kt_grant(&t, a, 0, p);
	kt_grant(&t, c, 0, p);
	int rc = ipc_kernel_run(t.k);
	tap_is_int(rc, -IPC_EDEAD, "kill: run reports a dead domain");
	tap_is_int(ipc_domain_status(t.k, b), -IPC_EDEAD, "kill: status of the killed domain");
	ipc_kernel_destroy(t.k);
	tap_is_int(kt_val[0], -IPC_EDEAD, "kill: the caller of a domain killed mid-call gets EDEAD");
	tap_diag("EDEAD came %ld us after the call", kt_val[1]);
	tap_is_int(kt_val[4], -IPC_EDEAD, "kill: a sender queued behind gets EDEAD");
	tap_is_int(kt_val[2], -IPC_EDEAD, "kill: a call to the dead domain fails at once");
	tap_ok(kt_val[3], "kill: the domain was killed after receiving");
}

/* 2. F kills B while B waits in a nested call to F: A -> B -> F. */

static int k2_a(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { 0 };
	struct ipc_rcv r = { 0 };

	(void)arg;
	kt_val[10] = ipc_call(self, 0, &m, &r);
	return 0;
}

static int k2_b(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { 0 };
	struct ipc_rcv r = { 0 }, r2 = { 0 };

	(void)arg;
	kt_val[11] = getpid();
	if (ipc_receive(self, &r, -1) == 0)
		ipc_call(self, 0, &m, &r2);
	return 0;
}

static int k2_f(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { 0 };
	struct ipc_rcv r = { 0 };

	(void)arg;
	if (ipc_receive(self, &r, -1) == 0) {
		kill((pid_t)kt_val[11], SIGKILL);
		until_dead(self, 1);
		kt_val[12] = ipc_send(self, r.reply, &m, 0);	/* reply to the dead */
	}
	return 0;
}

#define K2_TESTS 3
static void test_kill_nested(void)
{
	struct kt t;

	kt_begin(&t, IPC_MODE_PROCESS, NULL);
	unsigned a = kt_domain(&t, "a", k2_a, NULL);
	unsigned b = kt_domain(&t, "b", k2_b, NULL);
	unsigned f = kt_domain(&t, "f", k2_f, NULL);
	kt_grant(&t, a, 0, kt_port(&t, b, 0));
	kt_grant(&t, b, 0, kt_port(&t, f, 0));
	tap_is_int(kt_end(&t), -IPC_EDEAD, "nested kill: run reports a dead domain");
	tap_is_int(kt_val[10], -IPC_EDEAD, "nested kill: the outer caller gets EDEAD");
	tap_is_int(kt_val[12], -IPC_EDEAD, "nested kill: replying to the dead caller: EDEAD");
}

/* 3. B returns (thread or process) or drops the reply cap, unanswered. */

static int k3_a(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { 0 };
	struct ipc_rcv r = { 0 };

	(void)arg;
	kt_val[20] = ipc_call(self, 0, &m, &r);
	return 0;
}

static int k3_b(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 };
	bool drop = arg != NULL;

	ipc_receive(self, &r, -1);
	kt_val[23] = 1;
	until_queue(self, self->id, 1);
	if (!drop)
		return 0;		/* exits holding A's reply cap */
	kt_val[21] = ipc_cap_drop(self, r.reply);
	struct ipc_rcv r2 = { 0 };	/* C's message, then nothing more */
	kt_val[24] = ipc_receive(self, &r2, -1) == 0 ? ipc_receive(self, &r2, -1) : -99;
	return 0;
}

static int k3_c(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { 0 };

	(void)arg;
	kt_wait_val(23, 1);
	kt_val[22] = ipc_send(self, 0, &m, 0);
	return 0;
}

/* Exit: 4 tests; dropped reply cap: 6 (also the drop, the sender, the server). */
#define K3_TESTS (4 + 6)
static void test_unanswered(enum ipc_mode mode, bool drop)
{
	const char *mn = kt_mode_name(mode), *how = drop ? "dropped reply cap" : "exit";
	struct kt t;

	kt_begin(&t, mode, NULL);
	unsigned a = kt_domain(&t, "a", k3_a, NULL);
	unsigned b = kt_domain(&t, "b", k3_b, drop ? "drop" : NULL);
	unsigned c = kt_domain(&t, "c", k3_c, NULL);
	unsigned p = kt_port(&t, b, 0);
	kt_grant(&t, a, 0, p);
	kt_grant(&t, c, 0, p);
	tap_is_int(kt_end(&t), 0, "%s: %s: kernel ran", mn, how);
	tap_is_int(kt_val[20], -IPC_EDEAD, "%s: %s: the caller gets EDEAD", mn, how);
	if (drop) {
		tap_is_int(kt_val[21], 0, "%s: %s: the reply cap was dropped", mn, how);
		tap_is_int(kt_val[22], 0, "%s: %s: the queued sender got through", mn, how);
		tap_is_int(kt_val[24], -IPC_EDEAD, "%s: %s: the idle server is stopped", mn, how);
	} else {
		tap_is_int(kt_val[22], -IPC_EDEAD, "%s: %s: a queued sender gets EDEAD", mn, how);
	}
	tap_ok(kt_val[23], "%s: %s: the call was received", mn, how);
}

/* 4. A calls B while B calls A: a deadlock the kernel breaks. */

static int k4_x(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { 0 };
	struct ipc_rcv r = { 0 };

	kt_val[30 + (uintptr_t)arg] = ipc_call(self, 0, &m, &r);
	return 0;
}

#define K4_TESTS 3
static void test_deadlock(enum ipc_mode mode)
{
	const char *mn = kt_mode_name(mode);
	struct kt t;

	kt_begin(&t, mode, NULL);
	unsigned a = kt_domain(&t, "a", k4_x, (void *)0);
	unsigned b = kt_domain(&t, "b", k4_x, (void *)1);
	kt_grant(&t, a, 0, kt_port(&t, b, 0));
	kt_grant(&t, b, 0, kt_port(&t, a, 0));
	tap_is_int(kt_end(&t), 0, "%s: deadlock: kernel ran to the end", mn);
	tap_is_int(kt_val[30], -IPC_EDEAD, "%s: deadlock: A's call ends with EDEAD", mn);
	tap_is_int(kt_val[31], -IPC_EDEAD, "%s: deadlock: B's call ends with EDEAD", mn);
}

/* 5. X2 is killed while queued between X1 and X3. */

static int k5_s(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 };
	long got = 0;

	(void)arg;
	until_queue(self, self->id, 3);
	until_dead(self, 2);
	for (int i = 0; i < 2; i++)
		got = got * 10 + (ipc_receive(self, &r, -1) == 0 ? (long)r.code : 9);
	kt_val[40] = got;
	kt_val[41] = ipc_receive(self, &r, 50000000);
	return 0;
}

static int k5_x(ipc_domain_t *self, void *arg)
{
	unsigned i = (unsigned)(uintptr_t)arg;
	struct ipc_msg m = { .code = i };

	kt_val[42 + i] = getpid();
	until_queue(self, 0, i - 1);
	kt_val[46 + i] = ipc_send(self, 0, &m, 0);
	return 0;
}

static int k5_killer(ipc_domain_t *self, void *arg)
{
	(void)arg;
	until_queue(self, 0, 3);
	kill((pid_t)kt_val[44], SIGKILL);
	return 0;
}

#define K5_TESTS 5
static void test_kill_queued(void)
{
	struct kt t;

	kt_begin(&t, IPC_MODE_PROCESS, NULL);
	unsigned s = kt_domain(&t, "server", k5_s, NULL);
	unsigned p = kt_port(&t, s, 0);
	for (uintptr_t i = 1; i <= 3; i++)
		kt_grant(&t, kt_domain(&t, "x", k5_x, (void *)i), 0, p);
	kt_domain(&t, "killer", k5_killer, NULL);
	tap_is_int(kt_end(&t), -IPC_EDEAD, "queued kill: run reports the dead sender");
	tap_is_int(kt_val[40], 13, "queued kill: the others are served, in order");
	tap_is_int(kt_val[41], -IPC_ETIMEDOUT, "queued kill: nothing of the dead sender arrives");
	tap_is_int(kt_val[47], 0, "queued kill: the first sender's send returned");
	tap_is_int(kt_val[49], 0, "queued kill: the third sender's send returned");
}

/* 6. The supervisor is killed: its domains die with it. */

static int k6_spin(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 };

	kt_val[50 + (uintptr_t)arg] = getpid();
	for (;;)
		ipc_receive(self, &r, 1000000);
	return 0;
}

#define K6_TESTS 2
static void test_kill_supervisor(void)
{
	struct kt t;
	pid_t sup;

	prctl(PR_SET_CHILD_SUBREAPER, 1);	/* orphans come to us: we can reap them */
	kt_begin(&t, IPC_MODE_PROCESS, NULL);
	for (uintptr_t i = 0; i < 3; i++)
		kt_domain(&t, "spin", k6_spin, (void *)i);
	fflush(NULL);
	if ((sup = fork()) == 0)
		_exit(ipc_kernel_run(t.k) == 0 ? 0 : 1);
	ipc_kernel_destroy(t.k);	/* our copy: no process of ours runs */
	for (int i = 0; i < 3; i++)
		kt_wait_val(50 + i, 1);
	kill(sup, SIGKILL);
	waitpid(sup, NULL, 0);
	int gone = 0;
	for (int i = 0; i < 3; i++) {
		int st;
		if (waitpid((pid_t)kt_val[50 + i], &st, 0) == kt_val[50 + i] && WIFSIGNALED(st))
			gone++;
	}
	tap_is_int(gone, 3, "supervisor killed: each domain was killed with it");
	tap_ok(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD, "supervisor killed: no child left");
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

/* Leftovers. */

static int count_dir(const char *path, const char *needle)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && (!needle || strstr(e->d_name, needle)))
			n++;
	closedir(d);
	return n;
}

static int count_memfd_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char path[300], link[300];
	int n = 0;

	while (d && (e = readdir(d))) {
		snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
		ssize_t len = readlink(path, link, sizeof link - 1);
		if (len > 0 && (link[len] = 0, strstr(link, "memfd:")))
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

static int count_kernel_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	while (f && fgets(line, sizeof line, f))
		n += strstr(line, "memfd:ipc_kernel") != NULL;
	if (f)
		fclose(f);
	return n;
}

static int count_children(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d))) {
		char path[300];
		int pid, ppid;
		char comm[64], state;
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%d %63s %c %d", &pid, comm, &state, &ppid) == 4 && ppid == getpid())
			n++;
		fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

#define LO_TESTS 5

int main(void)
{
	alarm(120);
	tap_plan(K1_TESTS + K2_TESTS + 2 * K3_TESTS + 2 * K4_TESTS + K5_TESTS + K6_TESTS +
		 LO_TESTS);
	int shm0 = count_dir("/dev/shm", NULL), fds0 = count_dir("/proc/self/fd", NULL);

	test_kill_self();
	test_kill_nested();
	for (int i = 0; i < 2; i++) {
		test_unanswered(kt_modes[i], false);
		test_unanswered(kt_modes[i], true);
		test_deadlock(kt_modes[i]);
	}
	test_kill_queued();
	test_kill_supervisor();

	tap_is_int(count_dir("/dev/shm", NULL), shm0, "leftovers: /dev/shm as before");
	tap_is_int(count_dir("/proc/self/fd", NULL), fds0, "leftovers: no fd left open");
	tap_is_int(count_memfd_fds(), 0, "leftovers: no memfd open");
	tap_is_int(count_kernel_maps(), 0, "leftovers: no kernel mapping left");
	tap_is_int(count_children(), 0, "leftovers: no process left");
	return tap_done();
}
