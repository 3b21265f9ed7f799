/*
 * libmach: <mach/kern_return.h> -- result codes of Mach kernel calls.
 *
 * The numbering is the XNU / OSF one.  (GNU Mach reuses 27 and 28 for its
 * own purposes; libmach does not.)
 */
#ifndef _MACH_KERN_RETURN_H_
#define _MACH_KERN_RETURN_H_

typedef int kern_return_t;

#define KERN_SUCCESS                  0
#define KERN_INVALID_ADDRESS          1  /* address not valid/allocated in the map */
#define KERN_PROTECTION_FAILURE       2  /* access refused by page protection */
#define KERN_NO_SPACE                 3  /* no room in the address space or name space */
#define KERN_INVALID_ARGUMENT         4
#define KERN_FAILURE                  5  /* unspecified failure */
#define KERN_RESOURCE_SHORTAGE        6  /* kernel ran out of a resource */
#define KERN_NOT_RECEIVER             7  /* caller does not hold the receive right */
#define KERN_NO_ACCESS                8  /* bogus access restriction */
#define KERN_MEMORY_FAILURE           9  /* memory object was destroyed */
#define KERN_MEMORY_ERROR             10 /* memory manager reported an error */
#define KERN_ALREADY_IN_SET           11
#define KERN_NOT_IN_SET               12
#define KERN_NAME_EXISTS              13 /* the name already denotes a right */
#define KERN_ABORTED                  14 /* the operation was aborted */
#define KERN_INVALID_NAME             15 /* the name denotes no right */
#define KERN_INVALID_TASK             16 /* target task is not active */
#define KERN_INVALID_RIGHT            17 /* name denotes a right of the wrong kind */
#define KERN_INVALID_VALUE            18 /* blatant range error */
#define KERN_UREFS_OVERFLOW           19 /* user-reference count would overflow */
#define KERN_INVALID_CAPABILITY       20 /* supplied port capability is bad */
#define KERN_RIGHT_EXISTS             21 /* task already holds a right for that port */
#define KERN_INVALID_HOST             22 /* not a host port */
#define KERN_MEMORY_PRESENT           23 /* data already present in the object */
#define KERN_MEMORY_DATA_MOVED        24
#define KERN_MEMORY_RESTART_COPY      25
#define KERN_INVALID_PROCESSOR_SET    26
#define KERN_POLICY_LIMIT             27
#define KERN_INVALID_POLICY           28
#define KERN_INVALID_OBJECT           29
#define KERN_ALREADY_WAITING          30
#define KERN_DEFAULT_SET              31
#define KERN_EXCEPTION_PROTECTED      32
#define KERN_INVALID_LEDGER           33 /* a ledger was needed and not given */
#define KERN_INVALID_MEMORY_CONTROL   34
#define KERN_INVALID_SECURITY         35 /* not a host security port */
#define KERN_NOT_DEPRESSED            36
#define KERN_TERMINATED               37 /* object has been terminated */
#define KERN_LOCK_SET_DESTROYED       38
#define KERN_LOCK_UNSTABLE            39
#define KERN_LOCK_OWNED               40
#define KERN_LOCK_OWNED_SELF          41
#define KERN_SEMAPHORE_DESTROYED      42
#define KERN_RPC_SERVER_TERMINATED    43
#define KERN_RPC_TERMINATE_ORPHAN     44
#define KERN_RPC_CONTINUE_ORPHAN      45
#define KERN_NOT_SUPPORTED            46 /* call is not (yet) supported */
#define KERN_NODE_DOWN                47 /* remote node is down or unreachable */
#define KERN_NOT_WAITING              48
#define KERN_OPERATION_TIMED_OUT      49
#define KERN_CODESIGN_ERROR           50
#define KERN_POLICY_STATIC            51
#define KERN_INSUFFICIENT_BUFFER_SIZE 52
#define KERN_DENIED                   53
#define KERN_MISSING_KC               54
#define KERN_INVALID_KC               55
#define KERN_NOT_FOUND                56

#define KERN_RETURN_MAX               0x100 /* upper bound of the kernel's codes */

#endif /* _MACH_KERN_RETURN_H_ */
