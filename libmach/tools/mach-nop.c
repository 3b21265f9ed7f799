// SPDX-License-Identifier: GPL-2.0
/* mach-nop: the smallest static program, for posix_spawn in mach-bench. */
int main(void)
{
	return 0;
}
