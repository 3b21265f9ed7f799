/*
 * libmach: <mach/sample.h> -- the messages task_sample() sends.
 *
 * While a task has a sample port (task_sample(task, port); the port is
 * inherited by the tasks task_create() makes from it), each of its threads
 * has its user program counter sampled once per TASK_SAMPLE_PERIOD_USEC
 * of the thread's own time on a CPU (user and system time: a thread
 * inside a system call is sampled where it will return to). Threads that
 * start later are sampled too; the task's hidden agent is not. The
 * samples reach the port in simple messages of the layout below, sent by
 * the kernel through a send right with no reply port: at most
 * TASK_SAMPLE_FLUSH_MSEC after the first of them was taken, and at once
 * when TASK_SAMPLE_MAX are waiting. A message that finds the port's
 * queue full is dropped, never waited for: the next one delivered says
 * how many samples were lost. Sampling stops with task_sample(task,
 * MACH_PORT_NULL), when the port dies, when the task ends, and when it
 * execs (the new program, a set-uid one maybe, is not sampled for the
 * holder of the old program's rights); the samples taken until then are
 * sent first (before task_sample() returns, when it clears or replaces
 * the port), and none after.
 */
#ifndef _MACH_SAMPLE_H_
#define _MACH_SAMPLE_H_

#include <stddef.h>
#include <stdint.h>

#include <mach/_mach_cdefs.h>
#include <mach/message.h>
#include <mach/ndr.h>

/* msgh_id of a sample message (no MIG interface uses it). */
#define TASK_SAMPLE_MSG_ID        34220
/* At most this many samples in one message. */
#define TASK_SAMPLE_MAX           64
/* One sample per 10 ms of a thread's CPU time. */
#define TASK_SAMPLE_PERIOD_USEC   10000
/* A sample waits at most this long for its message. */
#define TASK_SAMPLE_FLUSH_MSEC    100

typedef struct {
	uint64_t thread;	/* the thread's tid, as gettid() returns it in the task */
	uint64_t pc;		/* its user program counter */
} task_sample_t;

typedef struct {
	mach_msg_header_t header;	/* msgh_id TASK_SAMPLE_MSG_ID */
	NDR_record_t      NDR;
	uint32_t          count;	/* samples that follow: 1 to TASK_SAMPLE_MAX */
	uint32_t          dropped;	/* samples lost since the last message delivered */
	task_sample_t     samples[TASK_SAMPLE_MAX];	/* count of them */
} task_sample_msg_t;

/* msgh_size of a message of count samples (its trailer follows them). */
#define TASK_SAMPLE_MSG_SIZE(count) \
	(offsetof(task_sample_msg_t, samples) + (count) * sizeof(task_sample_t))

/* What a receive of any of them needs: the largest, and its trailer. */
typedef union {
	task_sample_msg_t msg;
	char              room[sizeof(task_sample_msg_t) + MAX_TRAILER_SIZE];
} task_sample_buffer_t;

_MACH_STATIC_ASSERT(sizeof(task_sample_t) == 16, "task_sample_t size");
_MACH_STATIC_ASSERT(offsetof(task_sample_msg_t, samples) == 40, "task_sample_msg_t layout");
_MACH_STATIC_ASSERT(sizeof(task_sample_msg_t) == 40 + 16 * TASK_SAMPLE_MAX,
		    "task_sample_msg_t size");

#endif /* _MACH_SAMPLE_H_ */
