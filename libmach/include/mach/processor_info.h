/*
 * libmach: <mach/processor_info.h> -- host_processor_info() and
 * processor_set_info() flavors.
 */
#ifndef _MACH_PROCESSOR_INFO_H_
#define _MACH_PROCESSOR_INFO_H_

#include <mach/_mach_cdefs.h>
#include <mach/boolean.h>
#include <mach/machine.h>
#include <mach/machine/vm_types.h>
#include <mach/message.h>

typedef integer_t *processor_info_t;       /* varying array of integer_t */
typedef integer_t *processor_info_array_t; /* out of line, one record a CPU */
#define PROCESSOR_INFO_MAX (1024)
typedef integer_t processor_info_data_t[PROCESSOR_INFO_MAX];

typedef integer_t *processor_set_info_t;
#define PROCESSOR_SET_INFO_MAX (1024)
typedef integer_t processor_set_info_data_t[PROCESSOR_SET_INFO_MAX];

typedef int processor_flavor_t;
#define PROCESSOR_BASIC_INFO    1 /* processor_basic_info */
#define PROCESSOR_CPU_LOAD_INFO 2 /* processor_cpu_load_info */

/* One for each CPU the host can have (possible CPUs), by CPU id. */
struct processor_basic_info {
	cpu_type_t    cpu_type;
	cpu_subtype_t cpu_subtype;
	boolean_t     running;  /* online */
	int           slot_num; /* the CPU's id */
	union {
		boolean_t is_master; /* the boot CPU */
		boolean_t is_main;
	};
};
typedef struct processor_basic_info processor_basic_info_data_t;
typedef struct processor_basic_info *processor_basic_info_t;
#define PROCESSOR_BASIC_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(processor_basic_info_data_t) / sizeof(natural_t)))

/* Ticks (1/100 s) the CPU spent in each CPU_STATE_*. */
struct processor_cpu_load_info {
	unsigned int cpu_ticks[CPU_STATE_MAX];
};
typedef struct processor_cpu_load_info processor_cpu_load_info_data_t;
typedef struct processor_cpu_load_info *processor_cpu_load_info_t;
#define PROCESSOR_CPU_LOAD_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(processor_cpu_load_info_data_t) / sizeof(natural_t)))

/* Loads and Mach factors are scaled by this. */
#define LOAD_SCALE 1000

typedef int processor_set_flavor_t;
#define PROCESSOR_SET_BASIC_INFO 5 /* processor_set_basic_info */
struct processor_set_basic_info {
	int processor_count; /* CPUs online */
	int default_policy;  /* POLICY_TIMESHARE */
};
typedef struct processor_set_basic_info processor_set_basic_info_data_t;
typedef struct processor_set_basic_info *processor_set_basic_info_t;
#define PROCESSOR_SET_BASIC_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(processor_set_basic_info_data_t) / sizeof(natural_t)))

_MACH_STATIC_ASSERT(PROCESSOR_BASIC_INFO_COUNT == 5, "PROCESSOR_BASIC_INFO_COUNT");
_MACH_STATIC_ASSERT(PROCESSOR_CPU_LOAD_INFO_COUNT == 4, "PROCESSOR_CPU_LOAD_INFO_COUNT");
_MACH_STATIC_ASSERT(PROCESSOR_SET_BASIC_INFO_COUNT == 2, "PROCESSOR_SET_BASIC_INFO_COUNT");

#endif /* _MACH_PROCESSOR_INFO_H_ */
