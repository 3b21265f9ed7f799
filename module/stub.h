/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stub.h - the stub page (stub.c): a few instructions in every task that
 * run one system call and re-enter the module with its result.
 *
 * Whoever leaves an ioctl for the stub names the request the stub comes
 * back with: the stub knows the registers, not what the requests mean.
 */
#ifndef MACH_STUB_H
#define MACH_STUB_H

#include <linux/types.h>

struct vm_area_struct;

/* Nodes a task can be placed on: one word of node mask each. */
#define MACH_STUB_NODES 64

/* Signal numbers the stub keeps a disposition of (1 to 31). */
#define MACH_STUB_SIGNALS 32

/* A disposition as rt_sigaction() takes it (struct kernel_sigaction). */
struct mach_stub_action {
	u64 handler;
	u64 flags;
	u64 restorer;
	u64 mask;
};

/*
 * Filled by mach_stub_mmap(), then read-only to the user (mapped
 * read-only); the exception fields are the module's to write, from the
 * process that mapped it (exception.c).
 */
struct mach_stub_page {
	u8 code[160];
	u64 argv[2];		/* { empty, NULL }: execveat()'s argv */
	char empty[8];		/* "" */
	u64 node_masks[MACH_STUB_NODES];	/* set_mempolicy()'s, node n's at n */
	u64 other_nodes[MACH_STUB_NODES];	/* the nodes with memory but n */
	/* The /dev/mach fd the exception entry calls through. */
	s32 exception_fd;
	u32 pad;
	/*
	 * The program's own dispositions of the signals a fault raises, by
	 * signal number, which the exception entry stands in front of: what
	 * Linux does once Mach declines. The entry's to read too.
	 */
	struct mach_stub_action program[MACH_STUB_SIGNALS];
	/*
	 * sched_setaffinity()'s mask of each online node's CPUs, node n's
	 * at n * mach_stub_cpu_words(): to the page's end.
	 */
	u64 node_cpus[];
};

/* Words of a node's CPU mask in the stub page; 0 if the masks do not fit. */
unsigned int mach_stub_cpu_words(void);

/* The stub's offset of "exit this thread". */
#define MACH_STUB_EXIT 25
/* Its offset of "clone, and the child re-enters with its own request". */
#define MACH_STUB_CLONE 34
/* The signal handler that makes a fault an exception (exception.c). */
#define MACH_STUB_EXCEPTION 46
/* ... and its sa_restorer: rt_sigreturn(). */
#define MACH_STUB_RESTORER 152

/* A system call for the stub to run: a value, its filler's (on its stack). */
struct mach_syscall {
	long nr;
	unsigned long args[6];
	/*
	 * A clone (or vfork) only: the ioctl its child re-enters with (the
	 * caller comes back with the request given to mach_stub_dispatch()).
	 */
	unsigned int child_request;
};

int mach_stub_init(void);
void mach_stub_exit(void);
/* Map a stub into the calling process: its address or -errno. */
unsigned long mach_stub_map(void);
bool mach_stub_vma(const struct vm_area_struct *vma);
/*
 * Leave the ioctl into the stub at stub, which runs sc and re-enters with
 * ioctl(fd, request, result): sc's number (the ioctl's return value).
 */
long mach_stub_dispatch(unsigned long stub, int fd, unsigned int request,
			const struct mach_syscall *sc);
/* The /dev/mach fd the calling thread came back through the stub with. */
int mach_stub_fd(void);
/*
 * The page of the calling process's stub mapped at addr (any address in
 * it), with a reference (put_page()), or NULL if there is none there.
 */
struct page *mach_stub_page_get(unsigned long addr);

#endif /* MACH_STUB_H */
