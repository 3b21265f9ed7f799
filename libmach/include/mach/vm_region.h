/*
 * libmach: <mach/vm_region.h> -- information returned by vm_region().
 *
 * Packed to 4 bytes as on XNU so that the *_COUNT values agree.
 */
#ifndef _MACH_VM_REGION_H_
#define _MACH_VM_REGION_H_

#include <stdint.h>
#include <mach/_mach_cdefs.h>
#include <mach/boolean.h>
#include <mach/message.h>
#include <mach/vm_behavior.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <mach/vm_types.h>

typedef unsigned long long memory_object_offset_t;
typedef unsigned long long memory_object_size_t;
typedef unsigned long long vm_object_id_t;
typedef uint32_t vm32_object_id_t;

#pragma pack(push, 4)

#define VM_REGION_INFO_MAX (1024)

typedef int *vm_region_info_t;
typedef int *vm_region_info_64_t;
typedef int *vm_region_recurse_info_t;
typedef int *vm_region_recurse_info_64_t;
typedef int vm_region_flavor_t;
typedef int vm_region_info_data_t[VM_REGION_INFO_MAX];

/* VM_REGION_BASIC_INFO_64 */
#define VM_REGION_BASIC_INFO_64 9

struct vm_region_basic_info_64 {
	vm_prot_t              protection;
	vm_prot_t              max_protection;
	vm_inherit_t           inheritance;
	boolean_t              shared;
	boolean_t              reserved;
	memory_object_offset_t offset;
	vm_behavior_t          behavior;
	unsigned short         user_wired_count;
};
typedef struct vm_region_basic_info_64 *vm_region_basic_info_64_t;
typedef struct vm_region_basic_info_64 vm_region_basic_info_data_64_t;

#define VM_REGION_BASIC_INFO_COUNT_64 \
	((mach_msg_type_number_t)(sizeof(vm_region_basic_info_data_64_t) / sizeof(int)))

/* VM_REGION_BASIC_INFO: 32-bit offset variant. */
#define VM_REGION_BASIC_INFO 10

struct vm_region_basic_info {
	vm_prot_t      protection;
	vm_prot_t      max_protection;
	vm_inherit_t   inheritance;
	boolean_t      shared;
	boolean_t      reserved;
	uint32_t       offset;
	vm_behavior_t  behavior;
	unsigned short user_wired_count;
};
typedef struct vm_region_basic_info *vm_region_basic_info_t;
typedef struct vm_region_basic_info vm_region_basic_info_data_t;

#define VM_REGION_BASIC_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(vm_region_basic_info_data_t) / sizeof(int)))

/* share_mode values */
#define SM_COW             1
#define SM_PRIVATE         2
#define SM_EMPTY           3
#define SM_SHARED          4
#define SM_TRUESHARED      5
#define SM_PRIVATE_ALIASED 6
#define SM_SHARED_ALIASED  7
#define SM_LARGE_PAGE      8

/* VM_REGION_EXTENDED_INFO */
#define VM_REGION_EXTENDED_INFO 13

struct vm_region_extended_info {
	vm_prot_t      protection;
	unsigned int   user_tag;
	unsigned int   pages_resident;
	unsigned int   pages_shared_now_private;
	unsigned int   pages_swapped_out;
	unsigned int   pages_dirtied;
	unsigned int   ref_count;
	unsigned short shadow_depth;
	unsigned char  external_pager;
	unsigned char  share_mode;
	unsigned int   pages_reusable;
};
typedef struct vm_region_extended_info *vm_region_extended_info_t;
typedef struct vm_region_extended_info vm_region_extended_info_data_t;

#define VM_REGION_EXTENDED_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(vm_region_extended_info_data_t) / sizeof(natural_t)))

/* VM_REGION_TOP_INFO */
#define VM_REGION_TOP_INFO 12

struct vm_region_top_info {
	unsigned int  obj_id;
	unsigned int  ref_count;
	unsigned int  private_pages_resident;
	unsigned int  shared_pages_resident;
	unsigned char share_mode;
};
typedef struct vm_region_top_info *vm_region_top_info_t;
typedef struct vm_region_top_info vm_region_top_info_data_t;

#define VM_REGION_TOP_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(vm_region_top_info_data_t) / sizeof(natural_t)))

/* vm_region_recurse_64() result. */
struct vm_region_submap_info_64 {
	vm_prot_t              protection;
	vm_prot_t              max_protection;
	vm_inherit_t           inheritance;
	memory_object_offset_t offset;
	unsigned int           user_tag;
	unsigned int           pages_resident;
	unsigned int           pages_shared_now_private;
	unsigned int           pages_swapped_out;
	unsigned int           pages_dirtied;
	unsigned int           ref_count;
	unsigned short         shadow_depth;
	unsigned char          external_pager;
	unsigned char          share_mode;
	boolean_t              is_submap;
	vm_behavior_t          behavior;
	vm32_object_id_t       object_id;
	unsigned short         user_wired_count;
	unsigned int           pages_reusable;
	vm_object_id_t         object_id_full;
};
typedef struct vm_region_submap_info_64 *vm_region_submap_info_64_t;
typedef struct vm_region_submap_info_64 vm_region_submap_info_data_64_t;

#define VM_REGION_SUBMAP_INFO_V2_SIZE (sizeof(vm_region_submap_info_data_64_t))
#define VM_REGION_SUBMAP_INFO_V1_SIZE (VM_REGION_SUBMAP_INFO_V2_SIZE - sizeof(vm_object_id_t))
#define VM_REGION_SUBMAP_INFO_V0_SIZE (VM_REGION_SUBMAP_INFO_V1_SIZE - sizeof(unsigned int))

#define VM_REGION_SUBMAP_INFO_V2_COUNT_64 \
	((mach_msg_type_number_t)(VM_REGION_SUBMAP_INFO_V2_SIZE / sizeof(natural_t)))
#define VM_REGION_SUBMAP_INFO_V1_COUNT_64 \
	((mach_msg_type_number_t)(VM_REGION_SUBMAP_INFO_V1_SIZE / sizeof(natural_t)))
#define VM_REGION_SUBMAP_INFO_V0_COUNT_64 \
	((mach_msg_type_number_t)(VM_REGION_SUBMAP_INFO_V0_SIZE / sizeof(natural_t)))
#define VM_REGION_SUBMAP_INFO_COUNT_64 VM_REGION_SUBMAP_INFO_V2_COUNT_64

#pragma pack(pop)

_MACH_STATIC_ASSERT(VM_REGION_BASIC_INFO_COUNT_64 == 9, "VM_REGION_BASIC_INFO_COUNT_64");
_MACH_STATIC_ASSERT(VM_REGION_BASIC_INFO_COUNT == 8, "VM_REGION_BASIC_INFO_COUNT");
_MACH_STATIC_ASSERT(VM_REGION_EXTENDED_INFO_COUNT == 9, "VM_REGION_EXTENDED_INFO_COUNT");
_MACH_STATIC_ASSERT(VM_REGION_TOP_INFO_COUNT == 5, "VM_REGION_TOP_INFO_COUNT");
_MACH_STATIC_ASSERT(VM_REGION_SUBMAP_INFO_COUNT_64 == 19, "VM_REGION_SUBMAP_INFO_COUNT_64");

#endif /* _MACH_VM_REGION_H_ */
