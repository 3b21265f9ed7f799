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

#include "mach.h"

/*
 * A process's tokens as XNU lays them out: the security token is the
 * effective uid and gid; the audit token is auid, euid, egid, ruid, rgid,
 * pid, session id and a pid version (0: Linux does not reuse a live pid).
 * Ids are those of the initial user namespace, like the host's ports.
 */
void mach_tokens_of(struct task_struct *task, u32 security[2], u32 audit[8])
{
	struct user_namespace *ns = &init_user_ns;
	const struct cred *cred;

	rcu_read_lock();
	cred = __task_cred(task);
	security[0] = from_kuid_munged(ns, cred->euid);
	security[1] = from_kgid_munged(ns, cred->egid);
	audit[3] = from_kuid_munged(ns, cred->uid);
	audit[4] = from_kgid_munged(ns, cred->gid);
	rcu_read_unlock();
	audit[0] = from_kuid(ns, audit_get_loginuid(task));
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

/* CAP_SYS_ADMIN in the initial user namespace: the host's privilege. */
mach_bool mach_shim_privileged(void)
{
	return capable(CAP_SYS_ADMIN);
}

mach_bool mach_shim_task_give_credentials(struct mach_task *task, u32 uid,
					  u32 gid)
{
	struct mach_task_os *os = mach_task_os_of(task);
	kuid_t kuid = make_kuid(&init_user_ns, uid);
	kgid_t kgid = make_kgid(&init_user_ns, gid);

	if (!uid_valid(kuid) || !gid_valid(kgid))
		return false;
	os->token_uid = kuid;
	os->token_gid = kgid;
	os->token_credentials = true;
	return true;
}

/*
 * In a new shell, before it is ready: every uid becomes the token's uid
 * and every gid its gid, with no supplementary groups. Capabilities go as
 * setresuid() leaves them: all of the bounding set for uid 0, none else.
 */
int mach_shell_take_credentials(struct mach_task_os *os)
{
	struct group_info *no_groups;
	struct cred *new;

	if (!os->token_credentials)
		return 0;
	new = prepare_creds();
	if (!new)
		return -ENOMEM;
	no_groups = groups_alloc(0);
	if (!no_groups) {
		abort_creds(new);
		return -ENOMEM;
	}
	set_groups(new, no_groups);
	put_group_info(no_groups);
	new->uid = new->euid = new->suid = new->fsuid = os->token_uid;
	new->gid = new->egid = new->sgid = new->fsgid = os->token_gid;
	if (uid_eq(os->token_uid, GLOBAL_ROOT_UID)) {
		new->cap_permitted = new->cap_bset;
		new->cap_effective = new->cap_bset;
	} else {
		cap_clear(new->cap_permitted);
		cap_clear(new->cap_effective);
		cap_clear(new->cap_ambient);
	}
	return commit_creds(new);
}
