/* SPDX-License-Identifier: GPL-2.0 */
/*
 * creds.h - tokens from credentials, and a new shell's credentials (creds.c).
 */
#ifndef MACH_CREDS_H
#define MACH_CREDS_H

#include <linux/types.h>

struct cred;
struct mach_syscall;
struct mach_task_os;
struct task_struct;

/* The security and audit tokens of task's credentials. */
void mach_tokens_of(struct task_struct *task, u32 security[2], u32 audit[8]);

/*
 * Would a thread cloned from a now be as b: the same credentials (by
 * pointer: a clone shares them, a setuid since makes new ones), the same
 * seccomp filter and no_new_privs? Both threads alive.
 */
bool mach_same_identity(struct task_struct *a, struct task_struct *b);

/* Do two credentials name the same users and groups, every one of them? */
bool mach_same_ids(const struct cred *a, const struct cred *b);

/*
 * Has cred the host's privilege (CAP_SYS_ADMIN in the initial user
 * namespace), by its capability sets: asked of another process's.
 */
bool mach_cred_privileged(const struct cred *cred);

/*
 * What a clone takes of the thread it is cloned from that an agent made
 * on demand keeps in step with: a snapshot of it, with references.
 */
struct mach_identity {
	/*
	 * The objective credentials only: a system call may override the
	 * subjective ones for its length (access() does), setuid() changes
	 * both.
	 */
	const struct cred *real_cred;
	const void *filter;	/* compared only: the thread holds it */
	bool no_new_privs;
};
void mach_identity_of_current(struct mach_identity *id);
void mach_identity_put(struct mach_identity *id);
/* Has thread (alive) the identity id was taken of? */
bool mach_identity_is(const struct mach_identity *id, struct task_struct *thread);

/* A new shell is to run as uid and gid: false if they are no valid ids. */
bool mach_token_credentials(struct mach_task_os *os, u32 uid, u32 gid);
/*
 * In a new shell: take the credentials its security token gives, by the
 * system calls this steps through (creds.c).
 */
int mach_shell_credentials_step(struct mach_task_os *os, unsigned int *step,
				long result, struct mach_syscall *next);

#endif /* MACH_CREDS_H */
