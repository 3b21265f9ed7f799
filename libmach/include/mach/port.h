/*
 * libmach: <mach/port.h> -- port names, rights and port attributes.
 *
 * On the user side a port is known by a 32-bit unsigned name local to the
 * task (in libmach: the file descriptor that carries the right; never 0).
 * mach_port_t and mach_port_name_t are therefore the same integer type.
 */
#ifndef _MACH_PORT_H_
#define _MACH_PORT_H_

#include <stdint.h>
#include <mach/_mach_cdefs.h>
#include <mach/boolean.h>
#include <mach/machine/vm_types.h>

typedef natural_t mach_port_name_t;
typedef mach_port_name_t *mach_port_name_array_t;

typedef mach_port_name_t mach_port_t;
typedef mach_port_t *mach_port_array_t;

#define MACH_PORT_NULL 0 /* deliberately untyped, as on the anchors */
#define MACH_PORT_DEAD ((mach_port_name_t)~0)
#define MACH_PORT_VALID(name) \
	(((name) != MACH_PORT_NULL) && ((name) != MACH_PORT_DEAD))

/* Split of a name into table index and generation (kept for source compat). */
#define MACH_PORT_INDEX(name)      ((name) >> 8)
#define MACH_PORT_GEN(name)        (((name) & 0xff) << 24)
#define MACH_PORT_MAKE(index, gen) (((index) << 8) | (gen) >> 24)

/* Kinds of right a name can denote. */
typedef natural_t mach_port_right_t;

#define MACH_PORT_RIGHT_SEND      ((mach_port_right_t)0)
#define MACH_PORT_RIGHT_RECEIVE   ((mach_port_right_t)1)
#define MACH_PORT_RIGHT_SEND_ONCE ((mach_port_right_t)2)
#define MACH_PORT_RIGHT_PORT_SET  ((mach_port_right_t)3)
#define MACH_PORT_RIGHT_DEAD_NAME ((mach_port_right_t)4)
#define MACH_PORT_RIGHT_LABELH    ((mach_port_right_t)5) /* obsolete */
#define MACH_PORT_RIGHT_NUMBER    ((mach_port_right_t)6) /* count of kinds */

/* Bit set describing all the rights a name denotes (mach_port_type). */
typedef natural_t mach_port_type_t;
typedef mach_port_type_t *mach_port_type_array_t;

#define MACH_PORT_TYPE(right) \
	((mach_port_type_t)(((mach_port_type_t)1) << ((right) + ((mach_port_right_t)16))))

#define MACH_PORT_TYPE_NONE      ((mach_port_type_t)0L)
#define MACH_PORT_TYPE_SEND      MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND)
#define MACH_PORT_TYPE_RECEIVE   MACH_PORT_TYPE(MACH_PORT_RIGHT_RECEIVE)
#define MACH_PORT_TYPE_SEND_ONCE MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND_ONCE)
#define MACH_PORT_TYPE_PORT_SET  MACH_PORT_TYPE(MACH_PORT_RIGHT_PORT_SET)
#define MACH_PORT_TYPE_DEAD_NAME MACH_PORT_TYPE(MACH_PORT_RIGHT_DEAD_NAME)
#define MACH_PORT_TYPE_LABELH    MACH_PORT_TYPE(MACH_PORT_RIGHT_LABELH) /* obsolete */

/* Pending-request flags reported together with the type bits. */
#define MACH_PORT_TYPE_DNREQUEST         0x80000000 /* dead-name request armed */
#define MACH_PORT_TYPE_SPREQUEST         0x40000000 /* send-possible request armed */
#define MACH_PORT_TYPE_SPREQUEST_DELAYED 0x20000000

#define MACH_PORT_TYPE_SEND_RECEIVE (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)
#define MACH_PORT_TYPE_SEND_RIGHTS  (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)
#define MACH_PORT_TYPE_PORT_RIGHTS  (MACH_PORT_TYPE_SEND_RIGHTS | MACH_PORT_TYPE_RECEIVE)
#define MACH_PORT_TYPE_PORT_OR_DEAD (MACH_PORT_TYPE_PORT_RIGHTS | MACH_PORT_TYPE_DEAD_NAME)
#define MACH_PORT_TYPE_ALL_RIGHTS   (MACH_PORT_TYPE_PORT_OR_DEAD | MACH_PORT_TYPE_PORT_SET)

/* Counters attached to names and ports. */
typedef natural_t mach_port_urefs_t;    /* user references on a name */
/* The most user references one name can hold (KERN_UREFS_OVERFLOW beyond). */
#define MACH_PORT_UREFS_MAX ((mach_port_urefs_t)((1 << 16) - 1))
typedef integer_t mach_port_delta_t;    /* signed change of urefs */
typedef natural_t mach_port_seqno_t;    /* message sequence number */
typedef natural_t mach_port_mscount_t;  /* make-send count */
typedef natural_t mach_port_msgcount_t; /* messages in a queue */
typedef natural_t mach_port_rights_t;   /* number of rights */

/* Whether send rights exist for a port (mach_port_get_srights). */
typedef unsigned int mach_port_srights_t;
#define MACH_PORT_SRIGHTS_NONE    0
#define MACH_PORT_SRIGHTS_PRESENT 1

/* MACH_PORT_RECEIVE_STATUS attribute. */
typedef struct mach_port_status {
	mach_port_rights_t   mps_pset;      /* number of port sets holding it */
	mach_port_seqno_t    mps_seqno;     /* current sequence number */
	mach_port_mscount_t  mps_mscount;   /* make-send count */
	mach_port_msgcount_t mps_qlimit;    /* queue limit */
	mach_port_msgcount_t mps_msgcount;  /* messages queued now */
	mach_port_rights_t   mps_sorights;  /* send-once rights outstanding */
	boolean_t            mps_srights;   /* any send rights outstanding? */
	boolean_t            mps_pdrequest; /* port-deleted notification armed? */
	boolean_t            mps_nsrequest; /* no-senders notification armed? */
	natural_t            mps_flags;     /* MACH_PORT_STATUS_FLAG_* */
} mach_port_status_t;

#define MACH_PORT_STATUS_FLAG_TEMPOWNER               0x01
#define MACH_PORT_STATUS_FLAG_GUARDED                 0x02
#define MACH_PORT_STATUS_FLAG_STRICT_GUARD            0x04
#define MACH_PORT_STATUS_FLAG_IMP_DONATION            0x08
#define MACH_PORT_STATUS_FLAG_REVIVE                  0x10
#define MACH_PORT_STATUS_FLAG_TASKPTR                 0x20
#define MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE 0x40
#define MACH_PORT_STATUS_FLAG_NO_GRANT                0x80

/* Message queue limits. */
#define MACH_PORT_QLIMIT_ZERO    (0)
#define MACH_PORT_QLIMIT_BASIC   (5)
#define MACH_PORT_QLIMIT_SMALL   (16)
#define MACH_PORT_QLIMIT_LARGE   (1024)
#define MACH_PORT_QLIMIT_KERNEL  (65534)
#define MACH_PORT_QLIMIT_MIN     MACH_PORT_QLIMIT_ZERO
#define MACH_PORT_QLIMIT_DEFAULT MACH_PORT_QLIMIT_BASIC
#define MACH_PORT_QLIMIT_MAX     MACH_PORT_QLIMIT_LARGE

/* MACH_PORT_LIMITS_INFO attribute. */
typedef struct mach_port_limits {
	mach_port_msgcount_t mpl_qlimit;
} mach_port_limits_t;

/* MACH_PORT_INFO_EXT attribute. */
typedef struct mach_port_info_ext {
	mach_port_status_t   mpie_status;
	mach_port_msgcount_t mpie_boost_cnt;
	uint32_t             reserved[6];
} mach_port_info_ext_t;

/* MACH_PORT_GUARD_INFO attribute. */
typedef struct mach_port_guard_info {
	uint64_t mpgi_guard;
} mach_port_guard_info_t;

/* Attribute buffers are arrays of integer_t, sized in natural_t units. */
typedef integer_t *mach_port_info_t;

typedef int mach_port_flavor_t;

#define MACH_PORT_LIMITS_INFO         1 /* mach_port_limits_t */
#define MACH_PORT_RECEIVE_STATUS      2 /* mach_port_status_t */
#define MACH_PORT_DNREQUESTS_SIZE     3 /* one int */
#define MACH_PORT_TEMPOWNER           4 /* no data */
#define MACH_PORT_IMPORTANCE_RECEIVER 5 /* no data */
#define MACH_PORT_DENAP_RECEIVER      6 /* no data */
#define MACH_PORT_INFO_EXT            7 /* mach_port_info_ext_t */
#define MACH_PORT_GUARD_INFO          8 /* mach_port_guard_info_t */
#define MACH_PORT_SERVICE_THROTTLED   9 /* one int */

#define MACH_PORT_LIMITS_INFO_COUNT \
	((natural_t)(sizeof(mach_port_limits_t) / sizeof(natural_t)))
#define MACH_PORT_RECEIVE_STATUS_COUNT \
	((natural_t)(sizeof(mach_port_status_t) / sizeof(natural_t)))
#define MACH_PORT_DNREQUESTS_SIZE_COUNT 1
#define MACH_PORT_INFO_EXT_COUNT \
	((natural_t)(sizeof(mach_port_info_ext_t) / sizeof(natural_t)))
#define MACH_PORT_GUARD_INFO_COUNT \
	((natural_t)(sizeof(mach_port_guard_info_t) / sizeof(natural_t)))
#define MACH_PORT_SERVICE_THROTTLED_COUNT 1

_MACH_STATIC_ASSERT(sizeof(mach_port_t) == 4, "mach_port_t is a 32-bit name");
_MACH_STATIC_ASSERT(sizeof(mach_port_status_t) == 40, "mach_port_status_t layout");
_MACH_STATIC_ASSERT(MACH_PORT_RECEIVE_STATUS_COUNT == 10, "MACH_PORT_RECEIVE_STATUS_COUNT");
_MACH_STATIC_ASSERT(MACH_PORT_LIMITS_INFO_COUNT == 1, "MACH_PORT_LIMITS_INFO_COUNT");
_MACH_STATIC_ASSERT(MACH_PORT_INFO_EXT_COUNT == 17, "MACH_PORT_INFO_EXT_COUNT");

/* Quality of service requested at allocation (mach_port_allocate_qos). */
typedef struct mach_port_qos {
	unsigned int name : 1;     /* caller supplies the name */
	unsigned int prealloc : 1; /* preallocated message buffer */
	unsigned int pad1 : 30;
	natural_t    len;
} mach_port_qos_t;

/* Service port information (MPO_SERVICE_PORT, for launchd only). */
#define MACH_SERVICE_PORT_INFO_STRING_NAME_MAX_BUF_LEN 255
typedef struct mach_service_port_info {
	char    mspi_string_name[MACH_SERVICE_PORT_INFO_STRING_NAME_MAX_BUF_LEN];
	uint8_t mspi_domain_type;
} mach_service_port_info_data_t;
typedef struct mach_service_port_info *mach_service_port_info_t;

/* Flags of mach_port_options_t (mach_port_construct). */
#define MPO_CONTEXT_AS_GUARD             0x01   /* the context is the guard */
#define MPO_QLIMIT                       0x02   /* mpl holds the queue limit */
#define MPO_TEMPOWNER                    0x04
#define MPO_IMPORTANCE_RECEIVER          0x08
#define MPO_INSERT_SEND_RIGHT            0x10   /* a send right under the name too */
#define MPO_STRICT                       0x20   /* a strict guard */
#define MPO_DENAP_RECEIVER               0x40
#define MPO_IMMOVABLE_RECEIVE            0x80
#define MPO_FILTER_MSG                   0x100
#define MPO_TG_BLOCK_TRACKING            0x200
#define MPO_SERVICE_PORT                 0x400
#define MPO_CONNECTION_PORT              0x800
#define MPO_REPLY_PORT                   0x1000
#define MPO_ENFORCE_REPLY_PORT_SEMANTICS 0x2000
#define MPO_PROVISIONAL_REPLY_PORT       0x4000
#define MPO_EXCEPTION_PORT               0x8000

typedef struct mach_port_options {
	uint32_t           flags;   /* MPO_* */
	mach_port_limits_t mpl;     /* with MPO_QLIMIT */
	union {
		uint64_t                 reserved[2];
		mach_port_name_t         work_interval_port;  /* MPO_TG_BLOCK_TRACKING */
		mach_service_port_info_t service_port_info;   /* MPO_SERVICE_PORT */
		mach_port_name_t         service_port_name;   /* MPO_CONNECTION_PORT */
	};
} mach_port_options_t;
typedef mach_port_options_t *mach_port_options_ptr_t;

_MACH_STATIC_ASSERT(sizeof(mach_port_options_t) == 24, "mach_port_options_t layout");

/* Flags of mach_port_guard_with_flags(). */
#define MPG_STRICT            0x01
#define MPG_IMMOVABLE_RECEIVE 0x02

/* EXC_GUARD codes of a broken port guard (the module raises DESTROY to INCORRECT_GUARD). */
#define GUARD_TYPE_MACH_PORT 0x1
enum mach_port_guard_exception_codes {
	kGUARD_EXC_DESTROY          = 1,
	kGUARD_EXC_MOD_REFS         = 2,
	kGUARD_EXC_INVALID_OPTIONS  = 3,
	kGUARD_EXC_SET_CONTEXT      = 4,
	kGUARD_EXC_UNGUARDED        = 8,
	kGUARD_EXC_INCORRECT_GUARD  = 16,
	kGUARD_EXC_IMMOVABLE        = 32,
	kGUARD_EXC_STRICT_REPLY     = 64,
	kGUARD_EXC_MSG_FILTERED     = 128,
	kGUARD_EXC_INVALID_RIGHT    = 256,
	kGUARD_EXC_INVALID_NAME     = 512,
	kGUARD_EXC_INVALID_VALUE    = 1u << 10,
	kGUARD_EXC_INVALID_ARGUMENT = 1u << 11,
	kGUARD_EXC_RIGHT_EXISTS     = 1u << 12,
	kGUARD_EXC_KERN_NO_SPACE    = 1u << 13,
	kGUARD_EXC_KERN_FAILURE     = 1u << 14,
	kGUARD_EXC_KERN_RESOURCE    = 1u << 15,
	kGUARD_EXC_SEND_INVALID_REPLY = 1u << 16,
	kGUARD_EXC_SEND_INVALID_VOUCHER = 1u << 17,
	kGUARD_EXC_SEND_INVALID_RIGHT = 1u << 18,
	kGUARD_EXC_RCV_INVALID_NAME = 1u << 19,
};

#endif /* _MACH_PORT_H_ */
