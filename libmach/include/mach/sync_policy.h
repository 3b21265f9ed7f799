/*
 * libmach: <mach/sync_policy.h> -- the order in which a synchronizer
 * (a semaphore) wakes its waiters, as XNU numbers it.
 */
#ifndef _MACH_SYNC_POLICY_H_
#define _MACH_SYNC_POLICY_H_

typedef int sync_policy_t;

#define SYNC_POLICY_FIFO		0x0	/* in the order they came */
#define SYNC_POLICY_FIXED_PRIORITY	0x1	/* refused, as by XNU today */
#define SYNC_POLICY_REVERSED		0x2	/* the last come first */
#define SYNC_POLICY_ORDER_MASK		0x3
#define SYNC_POLICY_LIFO		(SYNC_POLICY_FIFO | SYNC_POLICY_REVERSED)

#endif /* _MACH_SYNC_POLICY_H_ */
