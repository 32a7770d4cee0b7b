/*
 * ipc_testlib.h - helpers shared by the kernel's tests: build a kernel in
 * one line per step (bail out on any failure), a value array shared with
 * the domains (they are processes in IPC_MODE_PROCESS), string patterns.
 */
#ifndef IPC_TESTLIB_H
#define IPC_TESTLIB_H

#include "ipc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KT_NVALS 4096
extern volatile long *kt_val;	/* shared with the domains; zeroed by kt_begin */

struct kt {
	ipc_kernel_t *k;
	enum ipc_mode mode;
};

extern const enum ipc_mode kt_modes[2];
const char *kt_mode_name(enum ipc_mode mode);

void kt_begin(struct kt *t, enum ipc_mode mode, const struct ipc_config *cfg);
unsigned kt_domain(struct kt *t, const char *name, ipc_main_fn fn, void *arg);
unsigned kt_port(struct kt *t, unsigned owner, uint64_t badge);
void kt_grant(struct kt *t, unsigned domain, uint16_t slot, unsigned port);
int kt_end(struct kt *t);	/* run the kernel, destroy it, return what run returned */

/* A string pattern determined by (seed, length): fill, then check. */
void kt_fill(void *buf, size_t n, uint64_t seed);
bool kt_check(const void *buf, size_t n, uint64_t seed);

/* Pin the calling process (and so every domain it starts after) to the
 * first CPU it may run on; that CPU. Bails out if it cannot. */
int kt_pin_one_cpu(void);

/* run(mode, where) in each mode (where ""), then, every domain pinned to
 * one CPU, in each again (where ", one core"). */
void kt_modes_then_one_core(void (*run)(enum ipc_mode mode, const char *where));

/* Spin (politely) until kt_val[i] >= v. */
void kt_wait_val(int i, long v);

/* A null call with code on slot 0: what it returned into kt_val[at], the
 * answer's code into kt_val[at + 1]. */
void kt_call_record(ipc_domain_t *self, uint32_t code, int at);

#endif
