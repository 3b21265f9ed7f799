// SPDX-License-Identifier: GPL-2.0
/*
 * What the host tells of itself: host_info's scheduling, priority and
 * architecture flavours, host_statistics and host_statistics64 (load,
 * memory, CPU ticks) against what Linux says in /proc and sysinfo(),
 * host_processor_info, and XNU's answers to short counts, unknown
 * flavours and ports of the wrong kind, by ioctl and by message.
 */
#define _GNU_SOURCE
#include <sys/sysinfo.h>

#include <mach/mach.h>

#include "kselftest_harness.h"
#include "kmsg_test.h"

static kern_return_t stats(host_t host, int flavor, void *info, mach_msg_type_number_t *count)
{
	return host_statistics(host, flavor, (host_info_t)info, count);
}

TEST(host_info_sched_priority_and_preferred_arch)
{
	host_sched_info_data_t sched;
	host_priority_info_data_t prio;
	host_preferred_user_arch_data_t arch;
	mach_msg_type_number_t count = HOST_SCHED_INFO_COUNT;

	ASSERT_EQ(KERN_SUCCESS, host_info(mach_host_self(), HOST_SCHED_INFO,
					  (host_info_t)&sched, &count));
	EXPECT_EQ(HOST_SCHED_INFO_COUNT, count);
	/* A tick of the kernel's: 1 to 10 ms at the HZ Linux offers. */
	EXPECT_GE(sched.min_quantum, 1);
	EXPECT_LE(sched.min_quantum, 10);
	EXPECT_EQ(sched.min_quantum, sched.min_timeout);

	count = HOST_PRIORITY_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, host_info(mach_host_self(), HOST_PRIORITY_INFO,
					  (host_info_t)&prio, &count));
	EXPECT_EQ(HOST_PRIORITY_INFO_COUNT, count);
	EXPECT_EQ(31, prio.user_priority);		/* BASEPRI_DEFAULT */
	EXPECT_EQ(80, prio.kernel_priority);
	EXPECT_EQ(79, prio.maximum_priority);
	EXPECT_EQ(0, prio.minimum_priority);

	count = HOST_PREFERRED_USER_ARCH_COUNT;
	ASSERT_EQ(KERN_SUCCESS, host_info(mach_host_self(), HOST_PREFERRED_USER_ARCH,
					  (host_info_t)&arch, &count));
	EXPECT_EQ(2, count);
	EXPECT_EQ(CPU_TYPE_X86_64, arch.cpu_type);
	EXPECT_EQ(CPU_SUBTYPE_X86_64_ALL, arch.cpu_subtype);

	/* One word short: KERN_FAILURE, as XNU. */
	count = HOST_PRIORITY_INFO_COUNT - 1;
	EXPECT_EQ(KERN_FAILURE, host_info(mach_host_self(), HOST_PRIORITY_INFO,
					  (host_info_t)&prio, &count));
	count = 1;
	EXPECT_EQ(KERN_FAILURE, host_info(mach_host_self(), HOST_SCHED_INFO,
					  (host_info_t)&sched, &count));
	count = 1;
	EXPECT_EQ(KERN_FAILURE, host_info(mach_host_self(), HOST_PREFERRED_USER_ARCH,
					  (host_info_t)&arch, &count));
}

TEST(load_info_is_proc_loadavg)
{
	host_load_info_data_t load;
	mach_msg_type_number_t count = HOST_LOAD_INFO_COUNT;
	double avg[3];
	char text[128];

	ASSERT_EQ(KERN_SUCCESS, stats(mach_host_self(), HOST_LOAD_INFO, &load, &count));
	ASSERT_EQ(HOST_LOAD_INFO_COUNT, count);
	ASSERT_EQ(0, read_text("/proc/loadavg", text, sizeof(text)));
	ASSERT_EQ(3, sscanf(text, "%lf %lf %lf", &avg[0], &avg[1], &avg[2]));
	for (int i = 0; i < 3; i++) {
		/* Scaled by LOAD_SCALE; /proc rounds to hundredths. */
		EXPECT_LE(abs(load.avenrun[i] - (int)(avg[i] * LOAD_SCALE)), 60)
			TH_LOG("avenrun[%d] %d, /proc/loadavg %.2f", i, load.avenrun[i], avg[i]);
		/* A Mach factor is never more than every CPU idle. */
		EXPECT_GE(load.mach_factor[i], 0);
		EXPECT_LE(load.mach_factor[i], get_nprocs() * LOAD_SCALE);
	}
}

/* A counter of /proc/vmstat, or -1 if the kernel keeps none. */
static long long vmstat(const char *name)
{
	char line[128], key[64];
	long long value, found = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", key, &value) == 2 && !strcmp(key, name))
			found = value;
	fclose(f);
	return found;
}

TEST(vm_info_agrees_with_sysinfo)
{
	vm_statistics64_data_t vm64;
	vm_statistics_data_t vm;
	mach_msg_type_number_t count = HOST_VM_INFO64_COUNT;
	unsigned long page = getpagesize();
	struct sysinfo si;

	ASSERT_EQ(KERN_SUCCESS, host_statistics64(mach_host_self(), HOST_VM_INFO64,
						  (host_info64_t)&vm64, &count));
	ASSERT_EQ(0, sysinfo(&si));
	EXPECT_EQ(HOST_VM_INFO64_COUNT, count);
	/* Every page of RAM is free, on an LRU list, or wired. */
	unsigned long long total = (unsigned long long)si.totalram * si.mem_unit / page;
	unsigned long long free = (unsigned long long)si.freeram * si.mem_unit / page;
	EXPECT_EQ(total, (unsigned long long)vm64.free_count + vm64.active_count +
			 vm64.inactive_count + vm64.wire_count);
	/* Free a moment apart: within 8 MiB. */
	EXPECT_LE(llabs((long long)vm64.free_count - (long long)free), (8 << 20) / page)
		TH_LOG("free %u pages, sysinfo %llu", vm64.free_count, free);
	/* Faults as /proc/vmstat counts them; a kernel that counts no events has none. */
	long long pgfault = vmstat("pgfault");
	if (pgfault < 0) {
		EXPECT_EQ(0, vm64.faults);
	} else {
		EXPECT_GT(vm64.faults, 0);
		EXPECT_LE(vm64.faults, pgfault);
	}
	EXPECT_GT(vm64.internal_page_count + vm64.external_page_count, 0);
	EXPECT_EQ((unsigned long long)vm64.internal_page_count + vm64.external_page_count,
		  (unsigned long long)vm64.active_count + vm64.inactive_count);

	/* The 32-bit form, every revision; the count says which came. */
	count = HOST_VM_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, stats(mach_host_self(), HOST_VM_INFO, &vm, &count));
	EXPECT_EQ(HOST_VM_INFO_REV2_COUNT, count);
	EXPECT_EQ(total, (unsigned long long)vm.free_count + vm.active_count +
			 vm.inactive_count + vm.wire_count);
	count = HOST_VM_INFO_REV1_COUNT;
	ASSERT_EQ(KERN_SUCCESS, stats(mach_host_self(), HOST_VM_INFO, &vm, &count));
	EXPECT_EQ(HOST_VM_INFO_REV1_COUNT, count);
	count = HOST_VM_INFO_REV0_COUNT + 1;
	ASSERT_EQ(KERN_SUCCESS, stats(mach_host_self(), HOST_VM_INFO, &vm, &count));
	EXPECT_EQ(HOST_VM_INFO_REV0_COUNT, count);
	count = HOST_VM_INFO_REV0_COUNT - 1;
	EXPECT_EQ(KERN_FAILURE, stats(mach_host_self(), HOST_VM_INFO, &vm, &count));

	count = HOST_VM_INFO64_REV0_COUNT;
	ASSERT_EQ(KERN_SUCCESS, host_statistics64(mach_host_self(), HOST_VM_INFO64,
						  (host_info64_t)&vm64, &count));
	EXPECT_EQ(HOST_VM_INFO64_REV0_COUNT, count);
	count = HOST_VM_INFO64_REV0_COUNT - 1;
	EXPECT_EQ(KERN_FAILURE, host_statistics64(mach_host_self(), HOST_VM_INFO64,
						  (host_info64_t)&vm64, &count));
}

static void cpu_ticks(host_t host, unsigned int ticks[CPU_STATE_MAX])
{
	host_cpu_load_info_data_t load;
	mach_msg_type_number_t count = HOST_CPU_LOAD_INFO_COUNT;

	memset(ticks, 0, sizeof(load.cpu_ticks));
	if (stats(host, HOST_CPU_LOAD_INFO, &load, &count) == KERN_SUCCESS &&
	    count == HOST_CPU_LOAD_INFO_COUNT)
		memcpy(ticks, load.cpu_ticks, sizeof(load.cpu_ticks));
}

/* Spins in user mode for ms of the process's CPU time. */
static void spin(long ms)
{
	struct timespec t;
	volatile unsigned long n = 0;

	do {
		for (int i = 0; i < 100000; i++)
			n++;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	} while (t.tv_sec * 1000 + t.tv_nsec / 1000000 < ms);
}

TEST(cpu_load_ticks_grow_with_work)
{
	unsigned int before[CPU_STATE_MAX], after[CPU_STATE_MAX];
	unsigned int cpu_before[CPU_STATE_MAX] = {}, cpu_after[CPU_STATE_MAX] = {};
	processor_info_array_t info;
	mach_msg_type_number_t words;
	natural_t n;

	cpu_ticks(mach_host_self(), before);
	spin(300);
	cpu_ticks(mach_host_self(), after);
	/* 300 ms in user mode is about 30 ticks of 10 ms; the tick sampling is coarse. */
	EXPECT_GE(after[CPU_STATE_USER] - before[CPU_STATE_USER], 10)
		TH_LOG("user ticks %u -> %u", before[CPU_STATE_USER], after[CPU_STATE_USER]);
	for (int s = 0; s < CPU_STATE_MAX; s++)
		EXPECT_GE(after[s], before[s]);

	/* The host's ticks are its processors' summed. */
	ASSERT_EQ(KERN_SUCCESS, host_processor_info(mach_host_self(), PROCESSOR_CPU_LOAD_INFO,
						    &n, &info, &words));
	ASSERT_EQ(n * PROCESSOR_CPU_LOAD_INFO_COUNT, words);
	for (natural_t i = 0; i < n; i++)
		for (int s = 0; s < CPU_STATE_MAX; s++)
			cpu_before[s] += ((processor_cpu_load_info_t)info)[i].cpu_ticks[s];
	vm_deallocate(mach_task_self(), (vm_address_t)info, words * sizeof(integer_t));
	cpu_ticks(mach_host_self(), cpu_after);
	for (int s = 0; s < CPU_STATE_MAX; s++) {
		/* Within a tick a CPU of the sum, taken a moment apart. */
		EXPECT_LE(cpu_before[s], cpu_after[s] + n);
		EXPECT_GE(cpu_before[s] + 50, cpu_after[s]) TH_LOG("state %d", s);
	}
}

TEST(processor_basic_info_is_each_cpu)
{
	processor_info_array_t info;
	mach_msg_type_number_t words;
	natural_t n, running = 0, masters = 0;

	ASSERT_EQ(KERN_SUCCESS, host_processor_info(mach_host_self(), PROCESSOR_BASIC_INFO, &n,
						    &info, &words));
	EXPECT_EQ(get_nprocs_conf(), n);
	ASSERT_EQ(n * PROCESSOR_BASIC_INFO_COUNT, words);
	for (natural_t i = 0; i < n; i++) {
		processor_basic_info_t p = (processor_basic_info_t)info + i;

		EXPECT_EQ(CPU_TYPE_X86_64, p->cpu_type);
		EXPECT_EQ(CPU_SUBTYPE_X86_64_ALL, p->cpu_subtype);
		running += p->running;
		masters += p->is_master;
	}
	EXPECT_EQ(get_nprocs(), running);
	EXPECT_EQ(1, masters);
	EXPECT_EQ(0, ((processor_basic_info_t)info)[0].slot_num);
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(mach_task_self(), (vm_address_t)info,
					      words * sizeof(integer_t)));

	/* An unknown flavour: KERN_FAILURE, as XNU's x86 says. */
	EXPECT_EQ(KERN_FAILURE, host_processor_info(mach_host_self(), 3, &n, &info, &words));
	EXPECT_EQ(KERN_FAILURE, host_processor_info(mach_host_self(), -1, &n, &info, &words));
}

TEST(bad_flavors_counts_and_ports)
{
	vm_statistics64_data_t vm64;
	host_load_info_data_t load;
	mach_msg_type_number_t count;
	processor_info_array_t info;
	natural_t n;

	/* HOST_VM_INFO64 is host_statistics64's only. */
	count = HOST_VM_INFO64_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, stats(mach_host_self(), HOST_VM_INFO64, &vm64, &count));
	count = HOST_VM_INFO64_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, stats(mach_host_self(), 99, &vm64, &count));
	count = HOST_VM_INFO64_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_statistics64(mach_host_self(), 99,
							   (host_info64_t)&vm64, &count));
	count = HOST_LOAD_INFO_COUNT - 1;
	EXPECT_EQ(KERN_FAILURE, stats(mach_host_self(), HOST_LOAD_INFO, &load, &count));
	count = HOST_CPU_LOAD_INFO_COUNT - 1;
	EXPECT_EQ(KERN_FAILURE, stats(mach_host_self(), HOST_CPU_LOAD_INFO, &load, &count));
	/* 64 falls back to the 32-bit flavours, as XNU. */
	count = HOST_LOAD_INFO_COUNT;
	EXPECT_EQ(KERN_SUCCESS, host_statistics64(mach_host_self(), HOST_LOAD_INFO,
						  (host_info64_t)&load, &count));

	/* A task port converts to no host: XNU's routines say which error. */
	count = HOST_LOAD_INFO_COUNT;
	EXPECT_EQ(KERN_INVALID_HOST, stats(mach_task_self(), HOST_LOAD_INFO, &load, &count));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_processor_info(mach_task_self(),
							     PROCESSOR_BASIC_INFO, &n, &info,
							     &count));
	/* A name that is no right: the send fails. */
	count = HOST_LOAD_INFO_COUNT;
	EXPECT_EQ(MACH_SEND_INVALID_DEST, stats(0x7ff0, HOST_LOAD_INFO, &load, &count));
}

/* Through a port that stands in for the host: the same calls as messages. */
TEST(statistics_by_message)
{
	struct proxy p;
	host_load_info_data_t load;
	vm_statistics64_data_t vm64;
	processor_info_array_t info;
	mach_msg_type_number_t count, words;
	natural_t n;

	proxy_start(&p, mach_host_self());
	count = HOST_LOAD_INFO_COUNT;
	EXPECT_EQ(KERN_SUCCESS, stats(p.port, HOST_LOAD_INFO, &load, &count));
	EXPECT_EQ(HOST_LOAD_INFO_COUNT, count);
	count = HOST_VM_INFO64_COUNT;
	EXPECT_EQ(KERN_SUCCESS, host_statistics64(p.port, HOST_VM_INFO64, (host_info64_t)&vm64,
						  &count));
	EXPECT_EQ(HOST_VM_INFO64_COUNT, count);
	EXPECT_GT(vm64.free_count, 0);
	count = HOST_VM_INFO64_COUNT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, stats(p.port, HOST_VM_INFO64, &vm64, &count));
	count = 2;
	EXPECT_EQ(KERN_FAILURE, stats(p.port, HOST_LOAD_INFO, &load, &count));
	ASSERT_EQ(KERN_SUCCESS, host_processor_info(p.port, PROCESSOR_BASIC_INFO, &n, &info,
						    &words));
	EXPECT_EQ(get_nprocs_conf(), n);
	EXPECT_EQ(n * PROCESSOR_BASIC_INFO_COUNT, words);
	EXPECT_EQ(CPU_TYPE_X86_64, ((processor_basic_info_t)info)[0].cpu_type);
	vm_deallocate(mach_task_self(), (vm_address_t)info, words * sizeof(integer_t));
	EXPECT_EQ(KERN_FAILURE, host_processor_info(p.port, 7, &n, &info, &words));
	EXPECT_EQ(6, p.forwarded);
	proxy_stop(&p);
}

TEST_HARNESS_MAIN
