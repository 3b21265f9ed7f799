// SPDX-License-Identifier: GPL-2.0
/*
 * mach-nop: the Linux side of mach-bench's exec path. The very program the
 * bench writes into an empty task (exit_group(0), three instructions), as
 * a static executable of its own. No C library: its start-up would be
 * work that the program in the empty task does not do.
 */
void _start(void)
{
	__asm__ volatile("mov $231, %eax\n\t"	/* exit_group */
			 "xor %edi, %edi\n\t"
			 "syscall");
	__builtin_unreachable();
}
