// SPDX-License-Identifier: GPL-2.0
/*
 * host_stats.c - what host_statistics, host_processor_info and the clocks
 * report, read from Linux's own accounting (the same counters /proc/stat,
 * /proc/meminfo, /proc/vmstat and /proc/loadavg show), and the walk of
 * every task that processor_set_tasks makes, with its access rule.
 */
#include <linux/cred.h>
#include <linux/kernel_stat.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched/loadavg.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/tick.h>
#include <linux/timekeeping.h>
#include <linux/vmstat.h>

#include "compat.h"
#include "core/core.h"
#include "core/shim.h"
#include "task_os.h"

void mach_shim_host_load(struct mach_host_load *load)
{
	int i;

	for (i = 0; i < 3; i++)
		load->avenrun[i] = READ_ONCE(avenrun[i]);
	load->cpus_online = num_online_cpus();
	load->tick_ms = DIV_ROUND_UP(1000, HZ);
}

void mach_shim_host_vm(struct mach_host_vm *vm)
{
	unsigned long active_anon, inactive_anon, active_file, inactive_file;
	unsigned long *events;
	struct sysinfo si;

	si_meminfo(&si);
	vm->total = si.totalram;
	vm->free = si.freeram;
	/* Each list read once: the two ways of adding them up agree. */
	active_anon = global_node_page_state(NR_ACTIVE_ANON);
	inactive_anon = global_node_page_state(NR_INACTIVE_ANON);
	active_file = global_node_page_state(NR_ACTIVE_FILE);
	inactive_file = global_node_page_state(NR_INACTIVE_FILE);
	vm->active = active_anon + active_file;
	vm->inactive = inactive_anon + inactive_file;
	vm->anon = active_anon + inactive_anon;
	vm->file = active_file + inactive_file;

	/* Too many for the stack; without memory the events read as none. */
	events = kcalloc(NR_VM_EVENT_ITEMS, sizeof(*events), GFP_KERNEL);
	if (events)
		all_vm_events(events);
	vm->faults = events ? events[PGFAULT] : 0;
	vm->major_faults = events ? events[PGMAJFAULT] : 0;
	vm->swapins = events ? events[PSWPIN] : 0;
	vm->swapouts = events ? events[PSWPOUT] : 0;
	vm->reactivations = events ? events[PGACTIVATE] : 0;
	kfree(events);
}

u32 mach_shim_cpu_ids(void)
{
	return nr_cpu_ids;
}

/*
 * Idle and iowait as /proc/stat reads them: from the tick code's own
 * count while the CPU is online and it keeps one (NOHZ), else kcpustat's.
 */
static u64 mach_cpu_idle_ns(int cpu, const struct kernel_cpustat *kcs)
{
	u64 idle = kcs->cpustat[CPUTIME_IDLE], iowait = kcs->cpustat[CPUTIME_IOWAIT];
	u64 us;

	if (cpu_online(cpu)) {
		us = get_cpu_idle_time_us(cpu, NULL);
		if (us != (u64)-1)
			idle = us * NSEC_PER_USEC;
		us = get_cpu_iowait_time_us(cpu, NULL);
		if (us != (u64)-1)
			iowait = us * NSEC_PER_USEC;
	}
	return idle + iowait;
}

bool mach_shim_cpu_times(u32 cpu, struct mach_cpu_times *out, bool *online)
{
	struct kernel_cpustat kcs;

	if (cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return false;
	kcpustat_cpu_fetch(&kcs, cpu);
	out->user_ns = kcs.cpustat[CPUTIME_USER];
	out->nice_ns = kcs.cpustat[CPUTIME_NICE];
	out->system_ns = kcs.cpustat[CPUTIME_SYSTEM] + kcs.cpustat[CPUTIME_IRQ] +
			 kcs.cpustat[CPUTIME_SOFTIRQ];
	out->idle_ns = mach_cpu_idle_ns(cpu, &kcs);
	*online = cpu_online(cpu);
	return true;
}

u64 mach_shim_clock_ns(enum mach_shim_clock clock)
{
	return clock == MACH_CLOCK_REALTIME ? ktime_get_real_ns() : ktime_get_ns();
}

u32 mach_shim_tasks_batch(u64 *cursor, struct mach_task **out, u32 max)
{
	unsigned long at = *cursor;
	unsigned int gen, n;

	n = mach_tasks_batch(&at, out, NULL, max, &gen);
	*cursor = at;
	return n;
}
