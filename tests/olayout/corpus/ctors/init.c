#include <stdio.h>
#include <stdlib.h>

#include "ctors.h"

__attribute__((constructor(201))) static void early(void) { ctors_note("constructor 201"); }
__attribute__((constructor(202))) static void later(void) { ctors_note("constructor 202"); }
__attribute__((constructor)) static void plain(void) { ctors_note("constructor"); }

static void at_exit_one(void) { printf("atexit one (%d notes)\n", ctors_count()); }
static void at_exit_two(void) { printf("atexit two\n"); }

__attribute__((destructor(201))) static void last_dtor(void) { printf("destructor 201\n"); }
__attribute__((destructor)) static void plain_dtor(void) { printf("destructor\n"); }

static void by_hand(void)
{
	ctors_note("explicit .init_array entry");
	if (atexit(at_exit_one) || atexit(at_exit_two))
		abort();
}

static void by_hand_fini(void)
{
	printf("explicit .fini_array entry\n");
}

__attribute__((section(".init_array"), used)) static void (*init_entry)(void) = by_hand;
__attribute__((section(".fini_array"), used)) static void (*fini_entry)(void) = by_hand_fini;
