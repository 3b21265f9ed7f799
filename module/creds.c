// SPDX-License-Identifier: GPL-2.0
/*
 * creds.c - a task's identity. Mach's security and audit tokens are read
 * from Linux credentials; the one privilege the host's ports rest on is
 * CAP_SYS_ADMIN; and a shell made with a chosen security token takes that
 * token's uid and gid as its credentials.
 */
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/sched.h>
#include <linux/uidgid.h>
#include <asm/unistd.h>

#include "creds.h"
#include "stub.h"
#include "task_os.h"

/*
 * A process's tokens as XNU lays them out: the security token is the
 * effective uid and gid; the audit token is auid, euid, egid, ruid, rgid,
 * pid, session id and a pid version (0: Linux does not reuse a live pid).
 * Ids are those of the initial user namespace, like the host's ports.
 */
/*
 * A kuid is the initial namespace's uid already: from_kuid_munged() of
 * init_user_ns without its map search, on every message's way.
 */
static u32 mach_init_uid(kuid_t uid)
{
	return uid_valid(uid) ? __kuid_val(uid) : overflowuid;
}

static u32 mach_init_gid(kgid_t gid)
{
	return gid_valid(gid) ? __kgid_val(gid) : overflowgid;
}

void mach_tokens_of(struct task_struct *task, u32 security[2], u32 audit[8])
{
	const struct cred *cred;

	rcu_read_lock();
	cred = __task_cred(task);
	security[0] = mach_init_uid(cred->euid);
	security[1] = mach_init_gid(cred->egid);
	audit[3] = mach_init_uid(cred->uid);
	audit[4] = mach_init_gid(cred->gid);
	rcu_read_unlock();
	/* An unset login uid is -1, as from_kuid() gives it. */
	audit[0] = __kuid_val(audit_get_loginuid(task));
	audit[1] = security[0];
	audit[2] = security[1];
	audit[5] = task_tgid_nr(task);
	audit[6] = audit_get_sessionid(task);
	audit[7] = 0;
}

void mach_shim_current_tokens(u32 security[2], u32 audit[8])
{
	mach_tokens_of(current, security, audit);
}

static const void *mach_seccomp_filter_of(struct task_struct *thread)
{
#ifdef CONFIG_SECCOMP_FILTER
	return READ_ONCE(thread->seccomp.filter);
#else
	return NULL;
#endif
}

bool mach_same_identity(struct task_struct *a, struct task_struct *b)
{
	return rcu_access_pointer(a->cred) == rcu_access_pointer(b->cred) &&
	       rcu_access_pointer(a->real_cred) == rcu_access_pointer(b->real_cred) &&
	       task_no_new_privs(a) == task_no_new_privs(b) &&
	       mach_seccomp_filter_of(a) == mach_seccomp_filter_of(b);
}

void mach_identity_of_current(struct mach_identity *id)
{
	id->real_cred = get_cred(current_real_cred());
	id->filter = mach_seccomp_filter_of(current);
	id->no_new_privs = task_no_new_privs(current);
}

void mach_identity_put(struct mach_identity *id)
{
	put_cred(id->real_cred);
}

bool mach_identity_is(const struct mach_identity *id, struct task_struct *thread)
{
	return rcu_access_pointer(thread->real_cred) == id->real_cred &&
	       mach_seccomp_filter_of(thread) == id->filter &&
	       task_no_new_privs(thread) == id->no_new_privs;
}

/* CAP_SYS_ADMIN in the initial user namespace: the host's privilege. */
mach_bool mach_shim_privileged(void)
{
	return capable(CAP_SYS_ADMIN);
}

bool mach_same_ids(const struct cred *a, const struct cred *b)
{
	return uid_eq(a->uid, b->uid) && uid_eq(a->euid, b->euid) &&
	       uid_eq(a->suid, b->suid) && uid_eq(a->fsuid, b->fsuid) &&
	       gid_eq(a->gid, b->gid) && gid_eq(a->egid, b->egid) &&
	       gid_eq(a->sgid, b->sgid) && gid_eq(a->fsgid, b->fsgid);
}

bool mach_cred_privileged(const struct cred *cred)
{
	return cred->user_ns == &init_user_ns && cap_raised(cred->cap_effective, CAP_SYS_ADMIN);
}

mach_bool mach_shim_task_privileged(struct mach_task_os *os)
{
	struct task_struct *leader;
	bool privileged = false;

	rcu_read_lock();
	leader = pid_task(READ_ONCE(os->pid), PIDTYPE_TGID);
	if (leader)
		privileged = mach_cred_privileged(__task_cred(leader));
	rcu_read_unlock();
	return privileged;
}

bool mach_token_credentials(struct mach_task_os *os, u32 uid, u32 gid)
{
	kuid_t kuid = make_kuid(&init_user_ns, uid);
	kgid_t kgid = make_kgid(&init_user_ns, gid);

	if (!uid_valid(kuid) || !gid_valid(kgid))
		return false;
	os->token_uid = kuid;
	os->token_gid = kgid;
	os->token_credentials = true;
	return true;
}

/* Replace the caller's capabilities: the credentials are otherwise kept. */
static int mach_set_capabilities(const kernel_cap_t *caps)
{
	struct cred *new = prepare_creds();

	if (!new)
		return -ENOMEM;
	new->cap_permitted = *caps;
	new->cap_effective = *caps;
	if (!cap_issubset(new->cap_ambient, *caps))
		cap_clear(new->cap_ambient);
	return commit_creds(new);
}

/*
 * In a new shell, before it is ready: every uid becomes the token's uid
 * and every gid its gid, with no supplementary groups. The ids are set by
 * setgroups(), setresgid() and setresuid() run in the shell, so that the
 * kernel's per-user accounting and security hooks see a change of user
 * as they always do; only the capabilities those calls need, and the
 * ones the shell ends with, are set here: all of the bounding set for
 * uid 0, none else (what setresuid() leaves a process that was root).
 *
 * Called first with *step 0, then with each call's result: 1 with the
 * next call in *next, 0 when done (and on any call after), or -errno.
 */
int mach_shell_credentials_step(struct mach_task_os *os, unsigned int *step,
				long result, struct mach_syscall *next)
{
	kernel_cap_t caps = CAP_EMPTY_SET;
	u32 id;
	int err;

	if (!os->token_credentials)
		return 0;
	if (result)
		return result;
	switch ((*step)++) {
	case 0:
		cap_raise(caps, CAP_SETUID);
		cap_raise(caps, CAP_SETGID);
		err = mach_set_capabilities(&caps);
		if (err)
			return err;
		next->nr = __NR_setgroups;
		next->args[0] = 0;
		next->args[1] = 0;
		return 1;
	case 1:
		id = from_kgid(current_user_ns(), os->token_gid);
		next->nr = __NR_setresgid;
		break;
	case 2:
		id = from_kuid(current_user_ns(), os->token_uid);
		next->nr = __NR_setresuid;
		break;
	case 3:
		if (uid_eq(os->token_uid, GLOBAL_ROOT_UID))
			caps = current_cred()->cap_bset;
		return mach_set_capabilities(&caps);
	default:
		return 0;	/* done: the steps after these call again */
	}
	/* (u32)-1 would mean "unchanged": an id our namespace cannot name. */
	if (id == (u32)-1)
		return -EPERM;
	next->args[0] = next->args[1] = next->args[2] = id;
	return 1;
}
