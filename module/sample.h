/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sample.h - task_sample's PC sampling of a task's threads (sample.c);
 * the core asks for it through mach_shim_task_sample() (core/shim.h).
 */
#ifndef MACH_SAMPLE_H
#define MACH_SAMPLE_H

struct mach_task_os;

/* The sender's workqueue: made at load, drained and gone at unload. */
int mach_sample_init(void);
void mach_sample_exit(void);
/* A task is freed: its sampling, if any was left, stops first. */
void mach_sample_free(struct mach_task_os *os);
/* Samplers alive: tasks sampled, and stopped ones whose sender is finishing. */
long mach_samplers_live(void);

#endif /* MACH_SAMPLE_H */
