/*
 * libmach: <mach/mach.h> -- the whole Mach user API.
 *
 * Include this (and link with -lmach) to use Mach tasks, threads, ports,
 * messages and virtual memory on Linux through libmach.
 */
#ifndef _MACH_MACH_H_
#define _MACH_MACH_H_

#define __MACH30__
#define MACH_IPC_FLAVOR UNTYPED

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/kern_return.h>
#include <mach/error.h>
#include <mach/mach_error.h>
#include <mach/message.h>
#include <mach/notify.h>
#include <mach/mig_errors.h>
#include <mach/mig.h>
#include <mach/ndr.h>
#include <mach/mach_init.h>
#include <mach/mach_traps.h>
#include <mach/mach_interface.h>

#endif /* _MACH_MACH_H_ */
