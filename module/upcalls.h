/* SPDX-License-Identifier: GPL-2.0 */
/*
 * upcalls.h - how the glue below the core reaches up into it.
 *
 * The files that carry out the core's requests (its shim: task.c,
 * shell.c, exception.c, guard_exception.c, sample.c) also see what Linux
 * tells: a process that is no task yet, its end, a fault, a perf sample.
 * They pass it up through these, which main.c hands in at load (the
 * core's own functions, core/core.h), and so depend on nothing above
 * them. The glue above the core (dev.c, netlink.c, port_file.c,
 * debugfs.c) calls the core directly.
 */
#ifndef MACH_UPCALLS_H
#define MACH_UPCALLS_H

#include "core/core.h"

struct mach_upcalls {
	/* A process with no task becomes one (task.c). */
	struct mach_task *(*task_make)(struct mach_task_os *os);
	void (*task_inherit)(struct mach_task *child, struct mach_task *parent, unsigned int what);
	/* Its process is gone (task.c). */
	void (*task_ended)(struct mach_task *task);
	/* The worker of mach_shim_task_resume_later() (task.c). */
	void (*task_resume_dropped)(struct mach_task *task);
	/* A hold the core left to us goes (shell.c). */
	void (*task_hold_released)(struct mach_task *task);
	/* A fault, or a guard broken (exception.c, guard_exception.c). */
	int (*exception_raise)(struct mach_task *task, struct mach_fault *fault);
	/* Is its process to be armed for faults (exception.c, shell.c)? */
	mach_bool (*raises_exceptions)(struct mach_task *task);
	/* A perf sample's batch (sample.c). */
	mach_bool (*task_sampling)(struct mach_task *task);
	enum mach_sample_sent (*task_sample_send)(struct mach_task *task,
						  const struct mach_sample *samples,
						  mach_u32 count, mach_u32 dropped);
};

/* Set once at load, before any part starts (main.c). */
extern const struct mach_upcalls *mach_up;

#endif /* MACH_UPCALLS_H */
