/*
 * libmach: <mach/mach_exc.h> -- the exception interface of mach_exc.defs
 * (MIG subsystem "mach_exc", ids 2405..2407), with 64-bit codes: what a
 * handler registered with MACH_EXCEPTION_CODES is sent.
 *
 * As <mach/exc.h>, with mach_exception_data_t codes (int64_t, packed to 4
 * bytes in the messages as MIG packs them) and the names prefixed mach_.
 * A request's code[] and old_state[] are sent with only codeCnt and
 * old_stateCnt elements: the fields after code[] move up by the codes not
 * sent, so these structs give the largest form.
 */
#ifndef _MACH_MACH_EXC_H_
#define _MACH_MACH_EXC_H_

#include <stddef.h>
#include <mach/_mach_cdefs.h>
#include <mach/exception_types.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/mig.h>
#include <mach/ndr.h>
#include <mach/std_types.h>
#include <mach/thread_status.h>

#ifndef mach_exc_MSG_COUNT
#define mach_exc_MSG_COUNT 3
#endif

_MACH_BEGIN_DECLS

/*
 * User side: send the exception to exception_port and wait for the reply.
 * thread and task go as copied send rights.  The state forms send *flavor
 * and old_state, and take back the handler's flavor into *flavor and its
 * state into new_state (room for THREAD_STATE_MAX words), its length in
 * *new_stateCnt.  codeCnt > 2 or old_stateCnt > THREAD_STATE_MAX:
 * MIG_ARRAY_TOO_LARGE, nothing sent.
 */
kern_return_t mach_exception_raise(mach_port_t exception_port, mach_port_t thread,
                                   mach_port_t task, exception_type_t exception,
                                   mach_exception_data_t code, mach_msg_type_number_t codeCnt);
kern_return_t mach_exception_raise_state(mach_port_t exception_port, exception_type_t exception,
                                         const mach_exception_data_t code,
                                         mach_msg_type_number_t codeCnt, int *flavor,
                                         const thread_state_t old_state,
                                         mach_msg_type_number_t old_stateCnt,
                                         thread_state_t new_state,
                                         mach_msg_type_number_t *new_stateCnt);
kern_return_t mach_exception_raise_state_identity(mach_port_t exception_port, mach_port_t thread,
                                                  mach_port_t task, exception_type_t exception,
                                                  mach_exception_data_t code,
                                                  mach_msg_type_number_t codeCnt, int *flavor,
                                                  thread_state_t old_state,
                                                  mach_msg_type_number_t old_stateCnt,
                                                  thread_state_t new_state,
                                                  mach_msg_type_number_t *new_stateCnt);

/*
 * Server side, provided by the program (MIG's ServerPrefix catch_).
 * mach_exc_server() checks a request as MIG's server stub does and calls
 * the one for its id; libmach links without them, and answers a request whose
 * routine the program does not define with MIG_BAD_ID.  A routine that
 * returns KERN_SUCCESS keeps the thread and task rights it was given (and
 * deallocates them); on an error the server loop destroys them.  The state
 * forms start with *new_stateCnt = THREAD_STATE_MAX, new_state that long.
 */
kern_return_t catch_mach_exception_raise(mach_port_t exception_port, mach_port_t thread,
                                         mach_port_t task, exception_type_t exception,
                                         mach_exception_data_t code,
                                         mach_msg_type_number_t codeCnt);
kern_return_t catch_mach_exception_raise_state(mach_port_t exception_port,
                                               exception_type_t exception,
                                               const mach_exception_data_t code,
                                               mach_msg_type_number_t codeCnt, int *flavor,
                                               const thread_state_t old_state,
                                               mach_msg_type_number_t old_stateCnt,
                                               thread_state_t new_state,
                                               mach_msg_type_number_t *new_stateCnt);
kern_return_t catch_mach_exception_raise_state_identity(mach_port_t exception_port,
                                                        mach_port_t thread, mach_port_t task,
                                                        exception_type_t exception,
                                                        mach_exception_data_t code,
                                                        mach_msg_type_number_t codeCnt,
                                                        int *flavor, thread_state_t old_state,
                                                        mach_msg_type_number_t old_stateCnt,
                                                        thread_state_t new_state,
                                                        mach_msg_type_number_t *new_stateCnt);

/*
 * The subsystem's demultiplexer, for mach_msg_server(): fills the reply
 * to in (id + 100, to its reply port) and returns TRUE if in's id is one
 * of mach_exc's and the program serves it; otherwise the reply says
 * MIG_BAD_ID and it returns FALSE.  mach_exc_server_routine() gives the
 * stub for in's id, or NULL.
 */
boolean_t mach_exc_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);
mig_routine_t mach_exc_server_routine(mach_msg_header_t *InHeadP);

_MACH_END_DECLS

#ifndef __Request__mach_exc_subsystem__defined
#define __Request__mach_exc_subsystem__defined
#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t          Head;
	mach_msg_body_t            msgh_body; /* 2 descriptors */
	mach_msg_port_descriptor_t thread;
	mach_msg_port_descriptor_t task;
	NDR_record_t               NDR;
	exception_type_t           exception;
	mach_msg_type_number_t     codeCnt;
	int64_t                    code[2];
} __Request__mach_exception_raise_t;

typedef struct {
	mach_msg_header_t      Head;
	NDR_record_t           NDR;
	exception_type_t       exception;
	mach_msg_type_number_t codeCnt;
	int64_t                code[2];
	int                    flavor;
	mach_msg_type_number_t old_stateCnt;
	natural_t              old_state[THREAD_STATE_MAX];
} __Request__mach_exception_raise_state_t;

typedef struct {
	mach_msg_header_t          Head;
	mach_msg_body_t            msgh_body; /* 2 descriptors */
	mach_msg_port_descriptor_t thread;
	mach_msg_port_descriptor_t task;
	NDR_record_t               NDR;
	exception_type_t           exception;
	mach_msg_type_number_t     codeCnt;
	int64_t                    code[2];
	int                        flavor;
	mach_msg_type_number_t     old_stateCnt;
	natural_t                  old_state[THREAD_STATE_MAX];
} __Request__mach_exception_raise_state_identity_t;
#pragma pack(pop)
#endif /* __Request__mach_exc_subsystem__defined */

#ifndef __RequestUnion__mach_exc_subsystem__defined
#define __RequestUnion__mach_exc_subsystem__defined
union __RequestUnion__mach_exc_subsystem {
	__Request__mach_exception_raise_t                Request_mach_exception_raise;
	__Request__mach_exception_raise_state_t          Request_mach_exception_raise_state;
	__Request__mach_exception_raise_state_identity_t Request_mach_exception_raise_state_identity;
};
#endif

#ifndef __Reply__mach_exc_subsystem__defined
#define __Reply__mach_exc_subsystem__defined
#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t      NDR;
	kern_return_t     RetCode;
} __Reply__mach_exception_raise_t;

typedef struct {
	mach_msg_header_t      Head;
	NDR_record_t           NDR;
	kern_return_t          RetCode;
	int                    flavor;
	mach_msg_type_number_t new_stateCnt;
	natural_t              new_state[THREAD_STATE_MAX];
} __Reply__mach_exception_raise_state_t;

typedef struct {
	mach_msg_header_t      Head;
	NDR_record_t           NDR;
	kern_return_t          RetCode;
	int                    flavor;
	mach_msg_type_number_t new_stateCnt;
	natural_t              new_state[THREAD_STATE_MAX];
} __Reply__mach_exception_raise_state_identity_t;
#pragma pack(pop)
#endif /* __Reply__mach_exc_subsystem__defined */

#ifndef __ReplyUnion__mach_exc_subsystem__defined
#define __ReplyUnion__mach_exc_subsystem__defined
union __ReplyUnion__mach_exc_subsystem {
	__Reply__mach_exception_raise_t                Reply_mach_exception_raise;
	__Reply__mach_exception_raise_state_t          Reply_mach_exception_raise_state;
	__Reply__mach_exception_raise_state_identity_t Reply_mach_exception_raise_state_identity;
};
#endif

/* The server header's name for the same union (sizes for mach_msg_server()). */
#ifndef __ReplyUnion__catch_mach_exc_subsystem__defined
#define __ReplyUnion__catch_mach_exc_subsystem__defined
union __ReplyUnion__catch_mach_exc_subsystem {
	__Reply__mach_exception_raise_t                Reply_mach_exception_raise;
	__Reply__mach_exception_raise_state_t          Reply_mach_exception_raise_state;
	__Reply__mach_exception_raise_state_identity_t Reply_mach_exception_raise_state_identity;
};
#endif

#ifndef subsystem_to_name_map_mach_exc
#define subsystem_to_name_map_mach_exc                 \
	{ "mach_exception_raise", 2405 },                  \
	{ "mach_exception_raise_state", 2406 },            \
	{ "mach_exception_raise_state_identity", 2407 }
#endif

/* The wire layout, byte for byte (THREAD_STATE_MAX words of state at most). */
_MACH_STATIC_ASSERT(sizeof(__Request__mach_exception_raise_t) == 84,
                    "mach_exception_raise request");
_MACH_STATIC_ASSERT(offsetof(__Request__mach_exception_raise_t, code) == 68, "its codes");
_MACH_STATIC_ASSERT(sizeof(__Request__mach_exception_raise_state_t) == 64 + 4 * THREAD_STATE_MAX,
                    "mach_exception_raise_state request");
_MACH_STATIC_ASSERT(offsetof(__Request__mach_exception_raise_state_t, old_state) == 64,
                    "its state");
_MACH_STATIC_ASSERT(sizeof(__Request__mach_exception_raise_state_identity_t) ==
                        92 + 4 * THREAD_STATE_MAX, "mach_exception_raise_state_identity request");
_MACH_STATIC_ASSERT(offsetof(__Request__mach_exception_raise_state_identity_t, old_state) == 92,
                    "its state");
_MACH_STATIC_ASSERT(sizeof(__Reply__mach_exception_raise_t) == 36, "mach_exception_raise reply");
_MACH_STATIC_ASSERT(sizeof(__Reply__mach_exception_raise_state_t) == 44 + 4 * THREAD_STATE_MAX,
                    "mach_exception_raise_state reply");
_MACH_STATIC_ASSERT(sizeof(__Reply__mach_exception_raise_state_identity_t) ==
                        44 + 4 * THREAD_STATE_MAX, "mach_exception_raise_state_identity reply");

#endif /* _MACH_MACH_EXC_H_ */
