// SPDX-License-Identifier: GPL-2.0
/*
 * mach-demo: what works today, shown from inside the test VM
 * (`make demo` runs it with mach.ko loaded).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>

static void show(const char *what, kern_return_t kr)
{
	printf("  %-52s %s\n", what, mach_error_string(kr));
}

static void statm(unsigned long *size, unsigned long *resident)
{
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f || fscanf(f, "%lu %lu", size, resident) != 2)
		*size = *resident = 0;
	if (f)
		fclose(f);
	*size *= getpagesize();
	*resident *= getpagesize();
}

int main(void)
{
	mach_port_t self = mach_task_self();
	mach_task_basic_info_data_t info;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
	unsigned long size, resident;
	kern_return_t kr;
	int status;

	printf("mach-demo: the Mach task model on Linux %s\n\n", "(mach.ko)");
	if (self == MACH_PORT_NULL) {
		printf("no /dev/mach: is mach.ko loaded?\n");
		return 1;
	}
	printf("The self task (pid %d)\n", getpid());
	printf("  mach_task_self()                                     name %u (an fd of this process)\n", self);
	printf("  mach_task_self() again                               name %u\n", mach_task_self());

	kr = task_info(self, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count);
	show("task_info(MACH_TASK_BASIC_INFO)", kr);
	if (kr != KERN_SUCCESS)
		return 1;
	statm(&size, &resident);
	printf("    virtual size      %10llu KiB   (/proc/self/statm: %lu KiB)\n",
	       (unsigned long long)info.virtual_size >> 10, size >> 10);
	printf("    resident size     %10llu KiB   (/proc/self/statm: %lu KiB)\n",
	       (unsigned long long)info.resident_size >> 10, resident >> 10);
	printf("    resident max      %10llu KiB\n",
	       (unsigned long long)info.resident_size_max >> 10);
	printf("    suspend count     %10d\n", info.suspend_count);
	printf("    user/system time  %d.%06d s / %d.%06d s (terminated threads)\n",
	       info.user_time.seconds, info.user_time.microseconds,
	       info.system_time.seconds, info.system_time.microseconds);

	printf("\nRights are Mach rights, not plain fds\n");
	printf("  task_self_trap()                                     name %u (same name, one more uref)\n",
	       task_self_trap());
	show("mach_port_deallocate(self, self)   (the extra uref)", mach_port_deallocate(self, self));

	fflush(stdout);
	if (fork() == 0) {
		count = MACH_TASK_BASIC_INFO_COUNT;
		printf("  in a forked child (pid %d), its own task is name %u\n", getpid(), mach_task_self());
		show("  child: task_info(parent's name)", task_info(self, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count));
		fflush(stdout);
		_exit(0);
	}
	wait(&status);

	show("mach_port_deallocate(self, self)   (the last uref)", mach_port_deallocate(self, self));
	count = MACH_TASK_BASIC_INFO_COUNT;
	show("task_info(deallocated name)", task_info(self, MACH_TASK_BASIC_INFO, (task_info_t)&info, &count));
	show("task_create(...)                   (a later issue)", task_create(task_self_trap(), NULL, 0, 1, &self));
	printf("\nmach-demo: done\n");
	return 0;
}
