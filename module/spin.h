/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spin.h - spinning for an answer (spin.c). A waker that is about to wait
 * for the answer wakes head's first waiter with mach_handoff_wake(): a
 * plain wake-up, not a sync one (that would pull the woken thread onto
 * the waker's CPU, where nobody can spin for it), which notes whom it
 * woke. The waker's next wait takes it (a reference, or NULL) and spins
 * while that peer runs elsewhere: true once done(arg), false when it gave
 * up.
 */
#ifndef MACH_SPIN_H
#define MACH_SPIN_H

#include <linux/types.h>

struct task_struct;
struct wait_queue_head;

void mach_handoff_wake(struct wait_queue_head *head);
/* The same note for a waker that woke peer itself: takes its reference. */
void mach_handoff_note(struct task_struct *peer);
struct task_struct *mach_handoff_take(void);
bool mach_spin_until(bool (*done)(void *), void *arg, struct task_struct *peer);
void mach_spin_exit(void);

#endif /* MACH_SPIN_H */
