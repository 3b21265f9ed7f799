/* SPDX-License-Identifier: GPL-2.0 */
/*
 * creds.h - tokens from credentials, and a new shell's credentials (creds.c).
 */
#ifndef MACH_CREDS_H
#define MACH_CREDS_H

#include <linux/types.h>

struct mach_syscall;
struct mach_task_os;
struct task_struct;

/* The security and audit tokens of task's credentials. */
void mach_tokens_of(struct task_struct *task, u32 security[2], u32 audit[8]);

/* A new shell is to run as uid and gid: false if they are no valid ids. */
bool mach_token_credentials(struct mach_task_os *os, u32 uid, u32 gid);
/*
 * In a new shell: take the credentials its security token gives, by the
 * system calls this steps through (creds.c).
 */
int mach_shell_credentials_step(struct mach_task_os *os, unsigned int *step,
				long result, struct mach_syscall *next);

#endif /* MACH_CREDS_H */
