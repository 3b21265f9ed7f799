/*
 * libmach: <mach/mach_port.h> -- operations on a task's IPC name space.
 *
 * Signatures are the XNU user-side ones.  "task" is any task's IPC space;
 * mach_task_self() for one's own.
 */
#ifndef _MACH_MACH_PORT_H_
#define _MACH_MACH_PORT_H_

#include <mach/_mach_cdefs.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach_debug/mach_debug_types.h>

_MACH_BEGIN_DECLS

/* All names in the space, with their type bits (arrays come out of line). */
kern_return_t mach_port_names(ipc_space_t task,
                              mach_port_name_array_t *names, mach_msg_type_number_t *namesCnt,
                              mach_port_type_array_t *types, mach_msg_type_number_t *typesCnt);

/* Rights denoted by name. */
kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name, mach_port_type_t *ptype);

/* Change the name of a right. */
kern_return_t mach_port_rename(ipc_space_t task, mach_port_name_t old_name, mach_port_name_t new_name);

/* Create a right (receive, port set or dead name) under a chosen name. */
kern_return_t mach_port_allocate_name(ipc_space_t task, mach_port_right_t right, mach_port_name_t name);

/* Create a right (receive, port set or dead name) under a new name. */
kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right, mach_port_name_t *name);

/* Remove all rights a name denotes. */
kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name);

/* Drop one user reference of a send, send-once or dead-name right. */
kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name);

/* User references of one kind of right under name. */
kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name, mach_port_right_t right,
                                 mach_port_urefs_t *refs);

/* Add delta to the user references of one kind of right under name. */
kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name, mach_port_right_t right,
                                 mach_port_delta_t delta);

/* Set the make-send count of a receive right. */
kern_return_t mach_port_set_mscount(ipc_space_t task, mach_port_name_t name, mach_port_mscount_t mscount);

/* Members of a port set. */
kern_return_t mach_port_get_set_status(ipc_space_read_t task, mach_port_name_t name,
                                       mach_port_name_array_t *members, mach_msg_type_number_t *membersCnt);

/* Move a receive right into the port set after (or out of any set if MACH_PORT_NULL). */
kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member, mach_port_name_t after);

/* Arm a notification (MACH_NOTIFY_*) to be sent to notify; returns the previous one. */
kern_return_t mach_port_request_notification(ipc_space_t task, mach_port_name_t name, mach_msg_id_t msgid,
                                             mach_port_mscount_t sync, mach_port_t notify,
                                             mach_msg_type_name_t notifyPoly, mach_port_t *previous);

/* Give task a right, named name, for the port poly in the caller's space. */
kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name, mach_port_t poly,
                                     mach_msg_type_name_t polyPoly);

/* Take a right out of task's space into the caller's. */
kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
                                      mach_msg_type_name_t msgt_name, mach_port_t *poly,
                                      mach_msg_type_name_t *polyPoly);

/* Set the sequence number of a receive right. */
kern_return_t mach_port_set_seqno(ipc_space_t task, mach_port_name_t name, mach_port_seqno_t seqno);

/* Read an attribute (MACH_PORT_LIMITS_INFO, MACH_PORT_RECEIVE_STATUS, ...). */
kern_return_t mach_port_get_attributes(ipc_space_read_t task, mach_port_name_t name, mach_port_flavor_t flavor,
                                       mach_port_info_t port_info_out,
                                       mach_msg_type_number_t *port_info_outCnt);

/* Set an attribute. */
kern_return_t mach_port_set_attributes(ipc_space_t task, mach_port_name_t name, mach_port_flavor_t flavor,
                                       mach_port_info_t port_info, mach_msg_type_number_t port_infoCnt);

/* How many send rights exist for a receive right. */
kern_return_t mach_port_get_srights(ipc_space_t task, mach_port_name_t name, mach_port_rights_t *srights);

/* Add a receive right to / remove it from a port set, leaving other sets alone. */
kern_return_t mach_port_insert_member(ipc_space_t task, mach_port_name_t name, mach_port_name_t pset);
kern_return_t mach_port_extract_member(ipc_space_t task, mach_port_name_t name, mach_port_name_t pset);

/* The context word of a receive right. */
kern_return_t mach_port_get_context(ipc_space_read_t task, mach_port_name_t name, mach_port_context_t *context);
kern_return_t mach_port_set_context(ipc_space_t task, mach_port_name_t name, mach_port_context_t context);

/* Make a receive right as options say (guarded, with a send right, ...). */
kern_return_t mach_port_construct(ipc_space_t task, mach_port_options_ptr_t options,
                                  mach_port_context_t context, mach_port_name_t *name);

/* Destroy a receive right (with its guard), dropping srdelta send references too. */
kern_return_t mach_port_destruct(ipc_space_t task, mach_port_name_t name, mach_port_delta_t srdelta,
                                 mach_port_context_t guard);

/* Guard a receive right with a value (its context), or take the guard off. */
kern_return_t mach_port_guard(ipc_space_t task, mach_port_name_t name, mach_port_context_t guard,
                              boolean_t strict);
kern_return_t mach_port_unguard(ipc_space_t task, mach_port_name_t name, mach_port_context_t guard);
/* Guard with MPG_* flags; swap a (non-strict) guard for another. */
kern_return_t mach_port_guard_with_flags(ipc_space_t task, mach_port_name_t name,
                                         mach_port_context_t guard, uint64_t flags);
kern_return_t mach_port_swap_guard(ipc_space_t task, mach_port_name_t name,
                                   mach_port_context_t old_guard, mach_port_context_t new_guard);

/* A queued message's sequence number, size, id and trailer, without receiving it. */
kern_return_t mach_port_peek(ipc_space_t task, mach_port_name_t name,
                             mach_msg_trailer_type_t trailer_type, mach_port_seqno_t *request_seqnop,
                             mach_msg_size_t *msg_sizep, mach_msg_id_t *msg_idp,
                             mach_msg_trailer_info_t trailer_infop,
                             mach_msg_type_number_t *trailer_infopCnt);

/* Every name of the space with its rights (arrays come out of line). */
kern_return_t mach_port_space_info(ipc_space_read_t space, ipc_info_space_t *space_info,
                                   ipc_info_name_array_t *table_info,
                                   mach_msg_type_number_t *table_infoCnt,
                                   ipc_info_tree_name_array_t *tree_info,
                                   mach_msg_type_number_t *tree_infoCnt);

/* How many names the space has. */
kern_return_t mach_port_space_basic_info(ipc_space_inspect_t task, ipc_info_space_basic_t *basic_info);

/* The kind of kernel object (IKOT_*) a send or receive right stands for. */
kern_return_t mach_port_kobject(ipc_space_read_t task, mach_port_name_t name,
                                natural_t *object_type, mach_vm_address_t *object_addr);
kern_return_t mach_port_kernel_object(ipc_space_read_t task, mach_port_name_t name,
                                      unsigned *object_type, unsigned *object_addr);

_MACH_END_DECLS

#endif /* _MACH_MACH_PORT_H_ */
