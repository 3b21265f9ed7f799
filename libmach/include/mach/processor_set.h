/*
 * libmach: <mach/processor_set.h> -- calls on the processor set's ports.
 *
 * The host has one set, of all its CPUs: processor_set_default() gives
 * its name port, host_processor_set_priv() (<mach/host_priv.h>) its
 * control port, which lists tasks and threads: those whose process the
 * caller could control by Linux's rule for ptrace.
 */
#ifndef _MACH_PROCESSOR_SET_H_
#define _MACH_PROCESSOR_SET_H_

#include <mach/_mach_cdefs.h>
#include <mach/mach_types.h>
#include <mach/processor_info.h>

_MACH_BEGIN_DECLS

/* Send rights to the tasks, out of line (vm_deallocate them). */
kern_return_t processor_set_tasks(processor_set_t processor_set, task_array_t *task_list,
                                  mach_msg_type_number_t *task_listCnt);
/* Send rights to their threads, likewise. */
kern_return_t processor_set_threads(processor_set_t processor_set,
                                    thread_act_array_t *thread_list,
                                    mach_msg_type_number_t *thread_listCnt);
/* PROCESSOR_SET_BASIC_INFO, on the name or control port; *host: the host port. */
kern_return_t processor_set_info(processor_set_name_t set_name, int flavor, host_t *host,
                                 processor_set_info_t info_out,
                                 mach_msg_type_number_t *info_outCnt);

_MACH_END_DECLS

#endif /* _MACH_PROCESSOR_SET_H_ */
