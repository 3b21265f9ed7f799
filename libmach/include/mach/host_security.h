/*
 * libmach: <mach/host_security.h> -- tasks with chosen security identity.
 */
#ifndef _MACH_HOST_SECURITY_H_
#define _MACH_HOST_SECURITY_H_

#include <mach/_mach_cdefs.h>
#include <mach/mach_types.h>

_MACH_BEGIN_DECLS

/*
 * As task_create(), but the child gets sec_token and audit_token instead of
 * the parent's, and the host port host.  Needs the host security port.
 */
kern_return_t host_security_create_task_token(host_security_t host_security, task_t parent_task,
                                              security_token_t sec_token, audit_token_t audit_token,
                                              host_t host, ledger_array_t ledgers,
                                              mach_msg_type_number_t ledgersCnt, boolean_t inherit_memory,
                                              task_t *child_task);

/* Change the security and audit tokens (and host port) of an existing task. */
kern_return_t host_security_set_task_token(host_security_t host_security, task_t target_task,
                                           security_token_t sec_token, audit_token_t audit_token,
                                           host_t host);

_MACH_END_DECLS

#endif /* _MACH_HOST_SECURITY_H_ */
