/*
 * tap.h - a small Test Anything Protocol helper for the C tests.
 *
 *   tap_plan(3);
 *   tap_ok(x > 0, "x is positive");
 *   tap_is_int(got, 42, "the answer");
 *   tap_is_str(name, "eth0", "interface name");
 *   tap_diag("seed %u", seed);
 *   return tap_done();
 *
 * tap_done() checks the plan and returns the exit status: 0 only when every
 * planned test ran and passed. tap_skip_all() ends a test that cannot run on
 * this machine, with the reason.
 */
#ifndef TAP_H
#define TAP_H

#include <stdbool.h>

void tap_plan(int n);
void tap_skip_all(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
bool tap_ok(bool pass, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool tap_is_int(long long got, long long want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool tap_is_str(const char *got, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void tap_bail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tap_done(void);

#endif
