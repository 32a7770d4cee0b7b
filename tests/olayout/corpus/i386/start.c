/* A freestanding 32-bit x86 program: the "other architecture" input that
 * olayout must refuse. Linked with ld -m elf_i386 (no 32-bit libc needed). */
static volatile int counter;

void _start(void)
{
	for (;;)
		counter++;
}
