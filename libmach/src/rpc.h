// SPDX-License-Identifier: LGPL-2.1-or-later
// rpc.h - a call on a port that is no kernel object's, sent to it as a
// message in XNU's MIG layout and answered by whoever holds its receive
// right (a proxy, a debugger, a server standing in for a task), as a MIG
// user stub would send it. The module says which calls go this way: the
// ioctl answers EREMOTE (libmach::send_as_message).
#ifndef LIBMACH_RPC_H
#define LIBMACH_RPC_H

#include <stdint.h>

#include <mach/mach.h>

namespace libmach {

// The general form: a request carrying n_ports_in ports in port
// descriptors (of that disposition), then, if n_in, NDR and the words; a
// reply carrying RetCode and words (n_ports_out 0), or n_ports_out port
// descriptors (each null, or of out_disposition: a send right unless
// said) and, if any, NDR and words. A reply in the error form gives its
// RetCode; one of another shape MIG_TYPE_ERROR (what it carried destroyed).
kern_return_t rpc_general(mach_port_t target, mach_msg_id_t id, const mach_port_t *ports_in,
			  unsigned n_ports_in, mach_msg_type_name_t disposition,
			  const uint32_t *in, unsigned n_in, mach_port_t *ports_out,
			  unsigned n_ports_out, uint32_t *out, unsigned max_out, unsigned *n_out,
			  mach_msg_type_name_t out_disposition = MACH_MSG_TYPE_PORT_SEND);

// The request's arguments after NDR, and what a simple reply carries after
// its RetCode: out gets at most max_out words, *n_out how many came
// (n_out may be null when the reply's size is fixed).
kern_return_t rpc(mach_port_t target, mach_msg_id_t id, const uint32_t *in, unsigned n_in,
		  uint32_t *out = nullptr, unsigned max_out = 0, unsigned *n_out = nullptr);

// A count-in/out routine (task_info, thread_get_state, host_info, ...):
// the arguments in, then *count capped at mig_max as the request's last
// word; the reply's count words into data, at most *count of them, and
// *count set to how many came. A reply of another shape: MIG_TYPE_ERROR.
kern_return_t rpc_count_out(mach_port_t target, mach_msg_id_t id, const uint32_t *in,
			    unsigned n_in, unsigned mig_max, void *data,
			    mach_msg_type_number_t *count);

// A request carrying port in a port descriptor (disposition as given),
// then NDR and the words; answered by a RetCode alone.
kern_return_t rpc_with_port(mach_port_t target, mach_msg_id_t id, mach_port_t port,
			    mach_msg_type_name_t disposition, const uint32_t *in,
			    unsigned n_in);

// A request whose success reply carries one port descriptor: *port.
kern_return_t rpc_port_out(mach_port_t target, mach_msg_id_t id, const uint32_t *in,
			   unsigned n_in, mach_port_t *port);

// mach_port_extract_right's form: the reply's one port descriptor, of
// whatever right it carries (*port), and that right's type (*type).
kern_return_t rpc_poly_port_out(mach_port_t target, mach_msg_id_t id, const uint32_t *in,
				unsigned n_in, mach_port_t *port, mach_msg_type_name_t *type);

// task_threads' form: the reply's out-of-line array of send rights, in
// fresh pages of the caller's (*ports, *count).
kern_return_t rpc_ports_out(mach_port_t target, mach_msg_id_t id, mach_port_t **ports,
			    mach_msg_type_number_t *count);

// The calls whose memory travels out of line (vm_read, vm_write,
// mach_port_names): a request carrying, if with_data, the size bytes at
// data in an out-of-line descriptor, then (if n_in) NDR and the words; a reply carrying n_out
// out-of-line regions, then NDR and a count for each: out[i] (fresh pages
// of the caller's, null if empty) of counts[i] items of unit bytes. A
// reply without a RetCode-only success: out gets nothing unless n_out.
// With n_words, n_words words come before the counts (mach_port_space_info),
// or, with no region, after the RetCode of a simple reply (mach_port_construct).
kern_return_t rpc_memory(mach_port_t target, mach_msg_id_t id, bool with_data, const void *data,
			 uint32_t size, const uint32_t *in, unsigned n_in, void **out, uint32_t *counts,
			 unsigned n_out, unsigned unit, uint32_t *words = nullptr,
			 unsigned n_words = 0);

// task_create's form (and host_security_create_task_token's): ports_in in
// port descriptors and the ledgers in an out-of-line ports descriptor (all
// copied send rights), then NDR, the words, the ledgers' count and
// inherit_memory; the reply's one port descriptor, a send right: *child.
kern_return_t rpc_task_create(mach_port_t target, mach_msg_id_t id, const mach_port_t *ports_in,
			      unsigned n_ports_in, const mach_port_t *ledgers,
			      mach_msg_type_number_t ledger_count, const uint32_t *in,
			      unsigned n_in, boolean_t inherit_memory, mach_port_t *child);

} // namespace libmach

#endif
