// libmach: placeholder definitions of the Mach calls not implemented yet.
//
// Every function declared in <mach/*.h> has a definition here that fails
// honestly with KERN_NOT_SUPPORTED, so programs link and run against libmach
// today.  Each of these becomes a real call in the issue that builds it: the
// real definition goes into its own source file and its line here is
// deleted (the placeholders are ordinary definitions, so forgetting to
// delete one is a duplicate-symbol error when libmach.so links, rather
// than a static link that silently picks the placeholder).
//
// Deliberately absent: the calls implemented elsewhere. A port-returning
// *_self call has no truthful "unsupported" value (MACH_PORT_NULL would
// pass for a port), so such calls are never placeholders here: until one
// is implemented, a program that uses it fails to link.
//
// Parameters are left unnamed: the placeholders use none of them, and the
// declarations in the headers (included below) make the compiler check
// that each signature here is the declared one.

#include <mach/mach.h>

// Exported even though the library is built with -fvisibility=hidden.
#define MACH_STUB extern "C" __attribute__((visibility("default")))

// One placeholder: NAME with parameter types PARAMS, returning KERN_NOT_SUPPORTED.
#define UNSUPPORTED(ret, name, params) \
	MACH_STUB ret name params { return KERN_NOT_SUPPORTED; }

// ---- <mach/message.h> --------------------------------------------------------
UNSUPPORTED(mach_msg_return_t, mach_msg_overwrite, (mach_msg_header_t *, mach_msg_option_t, mach_msg_size_t, mach_msg_size_t, mach_port_name_t, mach_msg_timeout_t, mach_port_name_t, mach_msg_header_t *, mach_msg_size_t))

// ---- <mach/mach_port.h> ------------------------------------------------------
UNSUPPORTED(kern_return_t, mach_port_rename, (ipc_space_t, mach_port_name_t, mach_port_name_t))
UNSUPPORTED(kern_return_t, mach_port_allocate_name, (ipc_space_t, mach_port_right_t, mach_port_name_t))
UNSUPPORTED(kern_return_t, mach_port_set_seqno, (ipc_space_t, mach_port_name_t, mach_port_seqno_t))
UNSUPPORTED(kern_return_t, mach_port_get_srights, (ipc_space_t, mach_port_name_t, mach_port_rights_t *))
UNSUPPORTED(kern_return_t, mach_port_insert_member, (ipc_space_t, mach_port_name_t, mach_port_name_t))
UNSUPPORTED(kern_return_t, mach_port_extract_member, (ipc_space_t, mach_port_name_t, mach_port_name_t))
UNSUPPORTED(kern_return_t, mach_port_get_context, (ipc_space_read_t, mach_port_name_t, mach_port_context_t *))
UNSUPPORTED(kern_return_t, mach_port_set_context, (ipc_space_t, mach_port_name_t, mach_port_context_t))

// ---- <mach/task.h> -----------------------------------------------------------
UNSUPPORTED(kern_return_t, task_set_info, (task_t, task_flavor_t, task_info_t, mach_msg_type_number_t))
UNSUPPORTED(kern_return_t, task_set_name, (task_t, const_kernel_debug_name_t))

// ---- <mach/vm_map.h> ---------------------------------------------------------
UNSUPPORTED(kern_return_t, vm_region_recurse_64, (vm_map_read_t, vm_address_t *, vm_size_t *, natural_t *, vm_region_recurse_info_t, mach_msg_type_number_t *))
UNSUPPORTED(kern_return_t, vm_behavior_set, (vm_map_t, vm_address_t, vm_size_t, vm_behavior_t))
UNSUPPORTED(kern_return_t, vm_map, (vm_map_t, vm_address_t *, vm_size_t, vm_address_t, int, mem_entry_name_port_t, vm_offset_t, boolean_t, vm_prot_t, vm_prot_t, vm_inherit_t))
UNSUPPORTED(kern_return_t, vm_remap, (vm_map_t, vm_address_t *, vm_size_t, vm_address_t, int, vm_map_t, vm_address_t, boolean_t, vm_prot_t *, vm_prot_t *, vm_inherit_t))

// ---- <mach/host.h> -----------------------------------------------------------
UNSUPPORTED(kern_return_t, host_set_special_port, (host_priv_t, int, mach_port_t))

// ---- <mach/ledger.h> ---------------------------------------------------------
UNSUPPORTED(kern_return_t, ledger_create, (ledger_t, ledger_t, ledger_t *, ledger_item_t))
UNSUPPORTED(kern_return_t, ledger_terminate, (ledger_t))
UNSUPPORTED(kern_return_t, ledger_transfer, (ledger_t, ledger_t, ledger_item_t))
UNSUPPORTED(kern_return_t, ledger_read, (ledger_t, ledger_item_t *, ledger_item_t *))

// ---- <mach/mach_norma.h> -----------------------------------------------------
UNSUPPORTED(kern_return_t, task_set_child_node, (task_t, int))
