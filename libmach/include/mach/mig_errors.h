/*
 * libmach: <mach/mig_errors.h> -- errors of MIG-style RPC stubs.
 */
#ifndef _MACH_MIG_ERRORS_H_
#define _MACH_MIG_ERRORS_H_

#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/ndr.h>

#define MIG_TYPE_ERROR      -300 /* client-side type check failed */
#define MIG_REPLY_MISMATCH  -301 /* reply has the wrong message id */
#define MIG_REMOTE_ERROR    -302 /* server reported an error */
#define MIG_BAD_ID          -303 /* request id unknown to the server */
#define MIG_BAD_ARGUMENTS   -304 /* server-side type check failed */
#define MIG_NO_REPLY        -305 /* server sends no reply */
#define MIG_EXCEPTION       -306 /* server raised an exception */
#define MIG_ARRAY_TOO_LARGE -307 /* caller's array too small for the result */
#define MIG_SERVER_DIED     -308 /* server died before replying */
#define MIG_TRAILER_ERROR   -309 /* trailer of unknown format */


/* A reply that carries only a return code. */
#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t      NDR;
	kern_return_t     RetCode;
} mig_reply_error_t;
#pragma pack(pop)

_MACH_STATIC_ASSERT(sizeof(mig_reply_error_t) == 36, "mig_reply_error_t is 36 bytes");

#endif /* _MACH_MIG_ERRORS_H_ */
