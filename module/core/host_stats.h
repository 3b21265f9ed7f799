/* SPDX-License-Identifier: GPL-2.0 */
/*
 * host_stats.h - host_statistics, host_statistics64 and
 * host_processor_info: XNU's layouts, filled from Linux's own accounting
 * (module/host_stats.c reads it). What Linux does not count (zero-fill
 * and copy-on-write faults apart, the object cache, purgeable memory,
 * the compressor) is 0.
 */
#ifndef MACH_CORE_HOST_STATS_H
#define MACH_CORE_HOST_STATS_H

#include "base.h"

namespace mach {

/* host_statistics flavours (<mach/host_info.h>). */
enum HostStatsFlavor : u32 {
	HostLoadInfo = 1,		/* HOST_LOAD_INFO */
	HostVmInfo = 2,			/* HOST_VM_INFO */
	HostCpuLoadInfo = 3,		/* HOST_CPU_LOAD_INFO */
	HostVmInfo64 = 4,		/* HOST_VM_INFO64: host_statistics64 only */
};
/* The largest of them, vm_statistics64, in integer_t. */
inline constexpr u32 host_stats_max_count = 38;

/*
 * Lays out flavor into out (host_stats_max_count words) for a caller with
 * room for *count words; *count becomes the count written. As XNU: too
 * little room is Failure, an unknown flavour InvalidArgument (and
 * HOST_VM_INFO64 is unknown to host_statistics, not 64).
 */
Kr host_statistics(u32 flavor, bool is64, u32 *out, u32 *count);

/* host_processor_info flavours (<mach/processor_info.h>). */
enum ProcessorFlavor : u32 {
	ProcessorBasicInfo = 1,		/* PROCESSOR_BASIC_INFO: 5 words a CPU */
	ProcessorCpuLoadInfo = 2,	/* PROCESSOR_CPU_LOAD_INFO: 4 words */
};

/*
 * One record of flavor for each possible CPU, in order of CPU id, in
 * kernel memory of mach_shim_alloc() (*info, *words in all, the caller's
 * to free), and *processors, the CPUs counted. An unknown flavour is
 * Failure, as XNU's x86 answers it.
 */
Kr host_processor_info(u32 flavor, u32 *processors, u32 **info, u32 *words);

} /* namespace mach */

#endif /* MACH_CORE_HOST_STATS_H */
