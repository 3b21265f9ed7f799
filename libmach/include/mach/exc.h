/*
 * libmach: <mach/exc.h> -- the exception interface of exc.defs (MIG
 * subsystem "exc", ids 2401..2403), with 32-bit codes.
 *
 * What XNU's MIG output gives a program for it: the user-side calls that
 * send an exception message and wait for the answer (to forward one), the
 * server side (exc_server() and the catch_* routines it calls, which the
 * program provides), and the request and reply layouts, packed to 4 bytes
 * as MIG packs them.  A request's code[] and old_state[] are sent with
 * only codeCnt and old_stateCnt elements: the fields after code[] move up
 * by the codes not sent, so these structs give the largest form.
 *
 * The 64-bit-code form (MACH_EXCEPTION_CODES) is <mach/mach_exc.h>.
 */
#ifndef _MACH_EXC_H_
#define _MACH_EXC_H_

#include <stddef.h>
#include <mach/_mach_cdefs.h>
#include <mach/exception_types.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/mig.h>
#include <mach/ndr.h>
#include <mach/std_types.h>
#include <mach/thread_status.h>

#ifndef exc_MSG_COUNT
#define exc_MSG_COUNT 3
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
kern_return_t exception_raise(mach_port_t exception_port, mach_port_t thread, mach_port_t task,
                              exception_type_t exception, exception_data_t code,
                              mach_msg_type_number_t codeCnt);
kern_return_t exception_raise_state(mach_port_t exception_port, exception_type_t exception,
                                    const exception_data_t code, mach_msg_type_number_t codeCnt,
                                    int *flavor, const thread_state_t old_state,
                                    mach_msg_type_number_t old_stateCnt, thread_state_t new_state,
                                    mach_msg_type_number_t *new_stateCnt);
kern_return_t exception_raise_state_identity(mach_port_t exception_port, mach_port_t thread,
                                             mach_port_t task, exception_type_t exception,
                                             exception_data_t code, mach_msg_type_number_t codeCnt,
                                             int *flavor, thread_state_t old_state,
                                             mach_msg_type_number_t old_stateCnt,
                                             thread_state_t new_state,
                                             mach_msg_type_number_t *new_stateCnt);

/*
 * Server side, provided by the program (MIG's ServerPrefix catch_).
 * exc_server() checks a request as MIG's server stub does and calls the
 * one for its id; libmach links without them, and answers a request whose
 * routine the program does not define with MIG_BAD_ID.  A routine that
 * returns KERN_SUCCESS keeps the thread and task rights it was given (and
 * deallocates them); on an error the server loop destroys them.  The state
 * forms start with *new_stateCnt = THREAD_STATE_MAX, new_state that long.
 */
kern_return_t catch_exception_raise(mach_port_t exception_port, mach_port_t thread,
                                    mach_port_t task, exception_type_t exception,
                                    exception_data_t code, mach_msg_type_number_t codeCnt);
kern_return_t catch_exception_raise_state(mach_port_t exception_port, exception_type_t exception,
                                          const exception_data_t code,
                                          mach_msg_type_number_t codeCnt, int *flavor,
                                          const thread_state_t old_state,
                                          mach_msg_type_number_t old_stateCnt,
                                          thread_state_t new_state,
                                          mach_msg_type_number_t *new_stateCnt);
kern_return_t catch_exception_raise_state_identity(mach_port_t exception_port, mach_port_t thread,
                                                   mach_port_t task, exception_type_t exception,
                                                   exception_data_t code,
                                                   mach_msg_type_number_t codeCnt, int *flavor,
                                                   thread_state_t old_state,
                                                   mach_msg_type_number_t old_stateCnt,
                                                   thread_state_t new_state,
                                                   mach_msg_type_number_t *new_stateCnt);

/*
 * The subsystem's demultiplexer, for mach_msg_server(): fills the reply
 * to in (id + 100, to its reply port) and returns TRUE if in's id is one
 * of exc's and the program serves it; otherwise the reply says MIG_BAD_ID
 * and it returns FALSE.  exc_server_routine() gives the stub for in's id,
 * or NULL.
 */
boolean_t exc_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);
mig_routine_t exc_server_routine(mach_msg_header_t *InHeadP);

_MACH_END_DECLS

#ifndef __Request__exc_subsystem__defined
#define __Request__exc_subsystem__defined
#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t          Head;
	mach_msg_body_t            msgh_body; /* 2 descriptors */
	mach_msg_port_descriptor_t thread;
	mach_msg_port_descriptor_t task;
	NDR_record_t               NDR;
	exception_type_t           exception;
	mach_msg_type_number_t     codeCnt;
	integer_t                  code[2];
} __Request__exception_raise_t;

typedef struct {
	mach_msg_header_t      Head;
	NDR_record_t           NDR;
	exception_type_t       exception;
	mach_msg_type_number_t codeCnt;
	integer_t              code[2];
	int                    flavor;
	mach_msg_type_number_t old_stateCnt;
	natural_t              old_state[THREAD_STATE_MAX];
} __Request__exception_raise_state_t;

typedef struct {
	mach_msg_header_t          Head;
	mach_msg_body_t            msgh_body; /* 2 descriptors */
	mach_msg_port_descriptor_t thread;
	mach_msg_port_descriptor_t task;
	NDR_record_t               NDR;
	exception_type_t           exception;
	mach_msg_type_number_t     codeCnt;
	integer_t                  code[2];
	int                        flavor;
	mach_msg_type_number_t     old_stateCnt;
	natural_t                  old_state[THREAD_STATE_MAX];
} __Request__exception_raise_state_identity_t;
#pragma pack(pop)
#endif /* __Request__exc_subsystem__defined */

#ifndef __RequestUnion__exc_subsystem__defined
#define __RequestUnion__exc_subsystem__defined
union __RequestUnion__exc_subsystem {
	__Request__exception_raise_t                Request_exception_raise;
	__Request__exception_raise_state_t          Request_exception_raise_state;
	__Request__exception_raise_state_identity_t Request_exception_raise_state_identity;
};
#endif

#ifndef __Reply__exc_subsystem__defined
#define __Reply__exc_subsystem__defined
#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t      NDR;
	kern_return_t     RetCode;
} __Reply__exception_raise_t;

typedef struct {
	mach_msg_header_t      Head;
	NDR_record_t           NDR;
	kern_return_t          RetCode;
	int                    flavor;
	mach_msg_type_number_t new_stateCnt;
	natural_t              new_state[THREAD_STATE_MAX];
} __Reply__exception_raise_state_t;

typedef struct {
	mach_msg_header_t      Head;
	NDR_record_t           NDR;
	kern_return_t          RetCode;
	int                    flavor;
	mach_msg_type_number_t new_stateCnt;
	natural_t              new_state[THREAD_STATE_MAX];
} __Reply__exception_raise_state_identity_t;
#pragma pack(pop)
#endif /* __Reply__exc_subsystem__defined */

#ifndef __ReplyUnion__exc_subsystem__defined
#define __ReplyUnion__exc_subsystem__defined
union __ReplyUnion__exc_subsystem {
	__Reply__exception_raise_t                Reply_exception_raise;
	__Reply__exception_raise_state_t          Reply_exception_raise_state;
	__Reply__exception_raise_state_identity_t Reply_exception_raise_state_identity;
};
#endif

/* The server header's name for the same union (sizes for mach_msg_server()). */
#ifndef __ReplyUnion__catch_exc_subsystem__defined
#define __ReplyUnion__catch_exc_subsystem__defined
union __ReplyUnion__catch_exc_subsystem {
	__Reply__exception_raise_t                Reply_exception_raise;
	__Reply__exception_raise_state_t          Reply_exception_raise_state;
	__Reply__exception_raise_state_identity_t Reply_exception_raise_state_identity;
};
#endif

#ifndef subsystem_to_name_map_exc
#define subsystem_to_name_map_exc                      \
	{ "exception_raise", 2401 },                       \
	{ "exception_raise_state", 2402 },                 \
	{ "exception_raise_state_identity", 2403 }
#endif

/* The wire layout, byte for byte (THREAD_STATE_MAX words of state at most). */
_MACH_STATIC_ASSERT(sizeof(__Request__exception_raise_t) == 76, "exception_raise request");
_MACH_STATIC_ASSERT(offsetof(__Request__exception_raise_t, code) == 68, "its codes");
_MACH_STATIC_ASSERT(sizeof(__Request__exception_raise_state_t) == 56 + 4 * THREAD_STATE_MAX,
                    "exception_raise_state request");
_MACH_STATIC_ASSERT(offsetof(__Request__exception_raise_state_t, old_state) == 56, "its state");
_MACH_STATIC_ASSERT(sizeof(__Request__exception_raise_state_identity_t) ==
                        84 + 4 * THREAD_STATE_MAX, "exception_raise_state_identity request");
_MACH_STATIC_ASSERT(offsetof(__Request__exception_raise_state_identity_t, old_state) == 84,
                    "its state");
_MACH_STATIC_ASSERT(sizeof(__Reply__exception_raise_t) == 36, "exception_raise reply");
_MACH_STATIC_ASSERT(sizeof(__Reply__exception_raise_state_t) == 44 + 4 * THREAD_STATE_MAX,
                    "exception_raise_state reply");
_MACH_STATIC_ASSERT(sizeof(__Reply__exception_raise_state_identity_t) ==
                        44 + 4 * THREAD_STATE_MAX, "exception_raise_state_identity reply");

#endif /* _MACH_EXC_H_ */
