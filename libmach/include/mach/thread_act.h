/*
 * libmach: <mach/thread_act.h> -- operations on threads.
 *
 * thread_create() and thread_create_running() belong to the task interface
 * on XNU; they are declared here, with the other thread calls.
 */
#ifndef _MACH_THREAD_ACT_H_
#define _MACH_THREAD_ACT_H_

#include <mach/_mach_cdefs.h>
#include <mach/mach_types.h>
#include <mach/thread_policy.h>

_MACH_BEGIN_DECLS

/* A new, suspended thread in parent_task with undefined register state. */
kern_return_t thread_create(task_t parent_task, thread_act_t *child_act);

/* A new thread in parent_task, started at new_state. */
kern_return_t thread_create_running(task_t parent_task, thread_state_flavor_t flavor, thread_state_t new_state,
                                    mach_msg_type_number_t new_stateCnt, thread_act_t *child_act);

/* Destroy a thread. */
kern_return_t thread_terminate(thread_act_t target_act);

/* Read / write the thread's machine state of one flavor. */
kern_return_t thread_get_state(thread_read_t target_act, thread_state_flavor_t flavor, thread_state_t old_state,
                               mach_msg_type_number_t *old_stateCnt);
kern_return_t thread_set_state(thread_act_t target_act, thread_state_flavor_t flavor, thread_state_t new_state,
                               mach_msg_type_number_t new_stateCnt);

/* Counted suspend / resume. */
kern_return_t thread_suspend(thread_read_t target_act);
kern_return_t thread_resume(thread_read_t target_act);

/* Interrupt the thread's current kernel call (and any wait). */
kern_return_t thread_abort(thread_act_t target_act);
kern_return_t thread_abort_safely(thread_act_t target_act);

/* Information about a thread (THREAD_BASIC_INFO, ...). */
kern_return_t thread_info(thread_inspect_t target_act, thread_flavor_t flavor, thread_info_t thread_info_out,
                          mach_msg_type_number_t *thread_info_outCnt);

/* Special ports of the thread (THREAD_KERNEL_PORT). */
kern_return_t thread_get_special_port(thread_inspect_t thr_act, int which_port, mach_port_t *special_port);
kern_return_t thread_set_special_port(thread_act_t thr_act, int which_port, mach_port_t special_port);

/* Exception ports of the thread. */
kern_return_t thread_policy_set(thread_act_t thread, thread_policy_flavor_t flavor,
                                thread_policy_t policy_info, mach_msg_type_number_t policy_infoCnt);
kern_return_t thread_policy_get(thread_inspect_t thread, thread_policy_flavor_t flavor,
                                thread_policy_t policy_info, mach_msg_type_number_t *policy_infoCnt,
                                boolean_t *get_default);

kern_return_t thread_set_exception_ports(thread_act_t thread, exception_mask_t exception_mask,
                                         mach_port_t new_port, exception_behavior_t behavior,
                                         thread_state_flavor_t new_flavor);
kern_return_t thread_get_exception_ports(thread_act_t thread, exception_mask_t exception_mask,
                                         exception_mask_array_t masks, mach_msg_type_number_t *masksCnt,
                                         exception_handler_array_t old_handlers,
                                         exception_behavior_array_t old_behaviors,
                                         exception_flavor_array_t old_flavors);
kern_return_t thread_swap_exception_ports(thread_act_t thread, exception_mask_t exception_mask,
                                          mach_port_t new_port, exception_behavior_t behavior,
                                          thread_state_flavor_t new_flavor, exception_mask_array_t masks,
                                          mach_msg_type_number_t *masksCnt,
                                          exception_handler_array_t old_handlers,
                                          exception_behavior_array_t old_behaviors,
                                          exception_flavor_array_t old_flavors);

_MACH_END_DECLS

#endif /* _MACH_THREAD_ACT_H_ */
