#include <stdio.h>

#include "layers.h"

int main(void)
{
	struct proto stack[5] = {
		{ &app_ops, NULL, NULL, 1, 0, 0 },
		{ &udp_ops, NULL, NULL, 2, 0, 0 },
		{ &ip_ops, NULL, NULL, 3, 0, 0 },
		{ &eth_ops, NULL, NULL, 4, 0, 0 },
		{ &wire_ops, NULL, NULL, 5, 0, 0 },
	};
	static const char *const words[] = { "hello", "layered", "world" };
	struct msg m;
	int n = 0;

	for (int i = 0; i < 5; i++) {
		stack[i].below = i < 4 ? &stack[i + 1] : NULL;
		stack[i].above = i > 0 ? &stack[i - 1] : NULL;
	}
	for (int round = 0; round < 2; round++) {
		for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++)
			n += app_send(&stack[0], words[i]);
		msg_init(&m, "through the ops");
		n += stack[0].ops->push(&stack[0], &m);
		n += wire_deliver(&stack[4]);
	}
	for (int i = 0; i < 5; i++)
		printf("%-4s pushed %lu popped %lu\n", stack[i].ops->name,
		       stack[i].pushed, stack[i].popped);
	printf("total %d\n", n);
	return n & 0x7f;
}
