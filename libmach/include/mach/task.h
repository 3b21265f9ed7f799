/*
 * libmach: <mach/task.h> -- operations on tasks.
 *
 * Signatures are the XNU user-side ones (task_create keeps the OSF ledger
 * arguments).  host_security_create_task_token() and
 * host_security_set_task_token() are declared in <mach/host_security.h>,
 * included here.
 */
#ifndef _MACH_TASK_H_
#define _MACH_TASK_H_

#include <mach/_mach_cdefs.h>
#include <mach/mach_types.h>
#include <mach/host_security.h>
#include <mach/sample.h>

_MACH_BEGIN_DECLS

/*
 * Create a task whose parent is parent_task.  With inherit_memory the child's
 * address space is built from the parent's according to each region's
 * inheritance; without it the child's address space is empty.  The child has
 * no threads.  ledgers/ledgersCnt name the ledgers the child is charged to.
 */
kern_return_t task_create(task_t parent_task, ledger_array_t ledgers, mach_msg_type_number_t ledgersCnt,
                          boolean_t inherit_memory, task_t *child_task);

/* Destroy a task, its threads and its rights. */
kern_return_t task_terminate(task_t target_task);

/* The task's threads (array comes out of line; free it with vm_deallocate). */
kern_return_t task_threads(task_inspect_t target_task, thread_act_array_t *act_list,
                           mach_msg_type_number_t *act_listCnt);

/* Register / look up the task's inherited ports (at most TASK_PORT_REGISTER_MAX). */
kern_return_t mach_ports_register(task_t target_task, mach_port_array_t init_port_set,
                                  mach_msg_type_number_t init_port_setCnt);
kern_return_t mach_ports_lookup(task_t target_task, mach_port_array_t *init_port_set,
                                mach_msg_type_number_t *init_port_setCnt);

/* Information about a task (TASK_BASIC_INFO, MACH_TASK_BASIC_INFO, ...). */
kern_return_t task_info(task_name_t target_task, task_flavor_t flavor, task_info_t task_info_out,
                        mach_msg_type_number_t *task_info_outCnt);
kern_return_t task_set_info(task_t target_task, task_flavor_t flavor, task_info_t task_info_in,
                            mach_msg_type_number_t task_info_inCnt);

/* Suspend / resume every thread of the task (counted). */
kern_return_t task_suspend(task_read_t target_task);
kern_return_t task_resume(task_read_t target_task);

/* Special ports (TASK_KERNEL_PORT, TASK_BOOTSTRAP_PORT, ...). */
kern_return_t task_get_special_port(task_inspect_t task, int which_port, mach_port_t *special_port);
kern_return_t task_set_special_port(task_t task, int which_port, mach_port_t special_port);

/* Exception ports of the task. */
kern_return_t task_set_exception_ports(task_t task, exception_mask_t exception_mask, mach_port_t new_port,
                                       exception_behavior_t behavior, thread_state_flavor_t new_flavor);
kern_return_t task_get_exception_ports(task_t task, exception_mask_t exception_mask,
                                       exception_mask_array_t masks, mach_msg_type_number_t *masksCnt,
                                       exception_handler_array_t old_handlers,
                                       exception_behavior_array_t old_behaviors,
                                       exception_flavor_array_t old_flavors);
kern_return_t task_swap_exception_ports(task_t task, exception_mask_t exception_mask, mach_port_t new_port,
                                        exception_behavior_t behavior, thread_state_flavor_t new_flavor,
                                        exception_mask_array_t masks, mach_msg_type_number_t *masksCnt,
                                        exception_handler_array_t old_handlers,
                                        exception_behavior_array_t old_behaviors,
                                        exception_flavor_array_t old_flavors);

/*
 * Sample the program counters of the task's threads and send them to
 * reply, or stop (reply MACH_PORT_NULL); reply names a receive right, from
 * which the kernel makes the send right it keeps (OSF's and XNU's
 * mach_port_make_send_t): any other name is MACH_SEND_INVALID_RIGHT. The
 * messages, the rate and when sampling stops: <mach/sample.h>.
 */
kern_return_t task_sample(task_t task, mach_port_t reply);

/*
 * A semaphore of target_task's, of count value, waking its waiters in
 * policy's order (SYNC_POLICY_FIFO or SYNC_POLICY_LIFO): a send right
 * to it in *semaphore. KERN_INVALID_ARGUMENT for a negative value or
 * another policy. See <mach/semaphore.h>.
 */
kern_return_t semaphore_create(task_t task, semaphore_t *semaphore, int policy, int value);

/*
 * Destroys a semaphore of task's (KERN_INVALID_ARGUMENT if it is not, or
 * no longer): its waiters wake with KERN_TERMINATED. Takes the caller's
 * send right (one user reference), whatever the answer.
 */
kern_return_t semaphore_destroy(task_t task, semaphore_t semaphore);

/*
 * Suspend the task and get a suspension token: a send-once right to the
 * task's resume port. task_resume2 with it undoes this suspension (each
 * token once); so does the token's loss (deallocated, destroyed, or its
 * holder gone), as on XNU.
 */
kern_return_t task_suspend2(task_read_t target_task, task_suspension_token_t *suspend_token);
kern_return_t task_resume2(task_suspension_token_t suspend_token);

/* Give the task a name for debugging (GNU Mach). */
kern_return_t task_set_name(task_t target_task, const_kernel_debug_name_t name);

_MACH_END_DECLS

/* Number of ports mach_ports_register() accepts. */
#define TASK_PORT_REGISTER_MAX 3

#endif /* _MACH_TASK_H_ */
