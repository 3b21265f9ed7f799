/*
 * libmach: <mach_debug/ipc_info.h> -- what mach_port_space_info() reports
 * of an IPC space, in XNU's layouts.
 */
#ifndef _MACH_DEBUG_IPC_INFO_H_
#define _MACH_DEBUG_IPC_INFO_H_

#include <mach/_mach_cdefs.h>
#include <mach/boolean.h>
#include <mach/port.h>

typedef struct ipc_info_space {
	natural_t iis_genno_mask;  /* generation bits of a name (none in libmach) */
	natural_t iis_table_size;  /* entries in the table */
	natural_t iis_table_next;  /* unused */
	natural_t iis_tree_size;   /* unused */
	natural_t iis_tree_small;  /* unused */
	natural_t iis_tree_hash;   /* unused */
} ipc_info_space_t;

typedef struct ipc_info_space_basic {
	natural_t iisb_genno_mask;
	natural_t iisb_table_size;
	natural_t iisb_table_next;
	natural_t iisb_table_inuse;
	natural_t iisb_reserved[2];
} ipc_info_space_basic_t;

typedef struct ipc_info_name {
	mach_port_name_t  iin_name;      /* the name */
	integer_t         iin_collision; /* unused: 0 */
	mach_port_type_t  iin_type;      /* MACH_PORT_TYPE_* bits */
	mach_port_urefs_t iin_urefs;     /* user references */
	natural_t         iin_object;    /* the same for every name of one port */
	natural_t         iin_next;      /* unused: 0 */
	natural_t         iin_hash;      /* unused: 0 */
} ipc_info_name_t;
typedef ipc_info_name_t *ipc_info_name_array_t;

/* Unused: the tree XNU once kept is always empty. */
typedef struct ipc_info_tree_name {
	ipc_info_name_t  iitn_name;
	mach_port_name_t iitn_lchild;
	mach_port_name_t iitn_rchild;
} ipc_info_tree_name_t;
typedef ipc_info_tree_name_t *ipc_info_tree_name_array_t;

_MACH_STATIC_ASSERT(sizeof(ipc_info_space_t) == 24, "ipc_info_space_t layout");
_MACH_STATIC_ASSERT(sizeof(ipc_info_space_basic_t) == 24, "ipc_info_space_basic_t layout");
_MACH_STATIC_ASSERT(sizeof(ipc_info_name_t) == 28, "ipc_info_name_t layout");
_MACH_STATIC_ASSERT(sizeof(ipc_info_tree_name_t) == 36, "ipc_info_tree_name_t layout");

#endif /* _MACH_DEBUG_IPC_INFO_H_ */
