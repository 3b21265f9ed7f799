/*
 * libmach: <mach/i386/thread_status.h> -- x86 thread state flavors.
 * Included through <mach/thread_status.h>.
 *
 * Field and tag names: by default the XNU "UNIX03" spelling with a leading
 * double underscore (state.__rip); a program that defines __DARWIN_UNIX03
 * to 0 before including any Mach header gets the plain spelling (state.rip),
 * as with the XNU headers.  The layout is the same either way.
 */
#ifndef _MACH_I386_THREAD_STATUS_H_
#define _MACH_I386_THREAD_STATUS_H_

#include <stdint.h>
#include <mach/_mach_cdefs.h>
#include <mach/message.h>

#if defined(__DARWIN_UNIX03) && !__DARWIN_UNIX03
#define _MACH_X86_F(name)   name
#define _MACH_X86_TAG(name) name
#else
#define _MACH_X86_F(name)   __##name
#define _MACH_X86_TAG(name) __darwin_##name
#endif

/* Largest state, in natural_t units. */
#define I386_THREAD_STATE_MAX (614)
#define THREAD_STATE_MAX      I386_THREAD_STATE_MAX

/* Flavors */
#define i386_THREAD_STATE     1
#define i386_FLOAT_STATE      2
#define i386_EXCEPTION_STATE  3
#define x86_THREAD_STATE32    1
#define x86_FLOAT_STATE32     2
#define x86_EXCEPTION_STATE32 3
#define x86_THREAD_STATE64    4
#define x86_FLOAT_STATE64     5
#define x86_EXCEPTION_STATE64 6
#define x86_THREAD_STATE      7  /* 32 or 64, with a header saying which */
#define x86_FLOAT_STATE       8
#define x86_EXCEPTION_STATE   9
#define x86_DEBUG_STATE32     10
#define x86_DEBUG_STATE64     11
#define x86_DEBUG_STATE       12
#define THREAD_STATE_NONE     13
#define x86_AVX_STATE32       16
#define x86_AVX_STATE64       (x86_AVX_STATE32 + 1)
#define x86_AVX_STATE         (x86_AVX_STATE32 + 2)
#define x86_AVX512_STATE32    19
#define x86_AVX512_STATE64    (x86_AVX512_STATE32 + 1)
#define x86_AVX512_STATE      (x86_AVX512_STATE32 + 2)
#define x86_PAGEIN_STATE      22
#define x86_THREAD_FULL_STATE64 23
#define x86_INSTRUCTION_STATE 24
#define x86_LAST_BRANCH_STATE 25
#define THREAD_STATE_FLAVORS  26 /* one past the highest flavor */

#define THREAD_MACHINE_STATE_MAX THREAD_STATE_MAX

/* Header of the x86_*_STATE flavors that hold either width. */
struct x86_state_hdr {
	uint32_t flavor;
	uint32_t count;
};
typedef struct x86_state_hdr x86_state_hdr_t;

/* ---- general registers ------------------------------------------------ */

struct _MACH_X86_TAG(i386_thread_state) {
	unsigned int _MACH_X86_F(eax);
	unsigned int _MACH_X86_F(ebx);
	unsigned int _MACH_X86_F(ecx);
	unsigned int _MACH_X86_F(edx);
	unsigned int _MACH_X86_F(edi);
	unsigned int _MACH_X86_F(esi);
	unsigned int _MACH_X86_F(ebp);
	unsigned int _MACH_X86_F(esp);
	unsigned int _MACH_X86_F(ss);
	unsigned int _MACH_X86_F(eflags);
	unsigned int _MACH_X86_F(eip);
	unsigned int _MACH_X86_F(cs);
	unsigned int _MACH_X86_F(ds);
	unsigned int _MACH_X86_F(es);
	unsigned int _MACH_X86_F(fs);
	unsigned int _MACH_X86_F(gs);
};
typedef struct _MACH_X86_TAG(i386_thread_state) i386_thread_state_t;
typedef struct _MACH_X86_TAG(i386_thread_state) x86_thread_state32_t;

struct _MACH_X86_TAG(x86_thread_state64) {
	uint64_t _MACH_X86_F(rax);
	uint64_t _MACH_X86_F(rbx);
	uint64_t _MACH_X86_F(rcx);
	uint64_t _MACH_X86_F(rdx);
	uint64_t _MACH_X86_F(rdi);
	uint64_t _MACH_X86_F(rsi);
	uint64_t _MACH_X86_F(rbp);
	uint64_t _MACH_X86_F(rsp);
	uint64_t _MACH_X86_F(r8);
	uint64_t _MACH_X86_F(r9);
	uint64_t _MACH_X86_F(r10);
	uint64_t _MACH_X86_F(r11);
	uint64_t _MACH_X86_F(r12);
	uint64_t _MACH_X86_F(r13);
	uint64_t _MACH_X86_F(r14);
	uint64_t _MACH_X86_F(r15);
	uint64_t _MACH_X86_F(rip);
	uint64_t _MACH_X86_F(rflags);
	uint64_t _MACH_X86_F(cs);
	uint64_t _MACH_X86_F(fs);
	uint64_t _MACH_X86_F(gs);
};
typedef struct _MACH_X86_TAG(x86_thread_state64) x86_thread_state64_t;

/* ---- x87 / SSE state -------------------------------------------------- */

/* x87 control word */
struct _MACH_X86_TAG(fp_control) {
	unsigned short _MACH_X86_F(invalid) : 1,
	    _MACH_X86_F(denorm) : 1,
	    _MACH_X86_F(zdiv) : 1,
	    _MACH_X86_F(ovrfl) : 1,
	    _MACH_X86_F(undfl) : 1,
	    _MACH_X86_F(precis) : 1,
	    : 2,
	    _MACH_X86_F(pc) : 2, /* precision control, FP_PREC_* */
	    _MACH_X86_F(rc) : 2, /* rounding control, FP_RND_* / FP_CHOP */
	    : 1,
	    : 3;
};
typedef struct _MACH_X86_TAG(fp_control) fp_control_t;

#define FP_PREC_24B 0
#define FP_PREC_53B 2
#define FP_PREC_64B 3

#define FP_RND_NEAR 0
#define FP_RND_DOWN 1
#define FP_RND_UP   2
#define FP_CHOP     3

/* x87 status word */
struct _MACH_X86_TAG(fp_status) {
	unsigned short _MACH_X86_F(invalid) : 1,
	    _MACH_X86_F(denorm) : 1,
	    _MACH_X86_F(zdiv) : 1,
	    _MACH_X86_F(ovrfl) : 1,
	    _MACH_X86_F(undfl) : 1,
	    _MACH_X86_F(precis) : 1,
	    _MACH_X86_F(stkflt) : 1,
	    _MACH_X86_F(errsumm) : 1,
	    _MACH_X86_F(c0) : 1,
	    _MACH_X86_F(c1) : 1,
	    _MACH_X86_F(c2) : 1,
	    _MACH_X86_F(tos) : 3,
	    _MACH_X86_F(c3) : 1,
	    _MACH_X86_F(busy) : 1;
};
typedef struct _MACH_X86_TAG(fp_status) fp_status_t;

/* One 80-bit x87/MMX register in a 16-byte slot. */
struct _MACH_X86_TAG(mmst_reg) {
	char _MACH_X86_F(mmst_reg)[10];
	char _MACH_X86_F(mmst_rsrv)[6];
};

/* One 128-bit XMM register. */
struct _MACH_X86_TAG(xmm_reg) {
	char _MACH_X86_F(xmm_reg)[16];
};

/* Common head of the float states (the FXSAVE image up to the registers). */
#define _MACH_X86_FPU_HEAD                                                 \
	int _MACH_X86_F(fpu_reserved)[2];                                      \
	struct _MACH_X86_TAG(fp_control) _MACH_X86_F(fpu_fcw);                 \
	struct _MACH_X86_TAG(fp_status) _MACH_X86_F(fpu_fsw);                  \
	uint8_t _MACH_X86_F(fpu_ftw);                                          \
	uint8_t _MACH_X86_F(fpu_rsrv1);                                        \
	uint16_t _MACH_X86_F(fpu_fop);                                         \
	uint32_t _MACH_X86_F(fpu_ip);                                          \
	uint16_t _MACH_X86_F(fpu_cs);                                          \
	uint16_t _MACH_X86_F(fpu_rsrv2);                                       \
	uint32_t _MACH_X86_F(fpu_dp);                                          \
	uint16_t _MACH_X86_F(fpu_ds);                                          \
	uint16_t _MACH_X86_F(fpu_rsrv3);                                       \
	uint32_t _MACH_X86_F(fpu_mxcsr);                                       \
	uint32_t _MACH_X86_F(fpu_mxcsrmask);                                   \
	struct _MACH_X86_TAG(mmst_reg) _MACH_X86_F(fpu_stmm0);                 \
	struct _MACH_X86_TAG(mmst_reg) _MACH_X86_F(fpu_stmm1);                 \
	struct _MACH_X86_TAG(mmst_reg) _MACH_X86_F(fpu_stmm2);                 \
	struct _MACH_X86_TAG(mmst_reg) _MACH_X86_F(fpu_stmm3);                 \
	struct _MACH_X86_TAG(mmst_reg) _MACH_X86_F(fpu_stmm4);                 \
	struct _MACH_X86_TAG(mmst_reg) _MACH_X86_F(fpu_stmm5);                 \
	struct _MACH_X86_TAG(mmst_reg) _MACH_X86_F(fpu_stmm6);                 \
	struct _MACH_X86_TAG(mmst_reg) _MACH_X86_F(fpu_stmm7);                 \
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm0);                   \
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm1);                   \
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm2);                   \
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm3);                   \
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm4);                   \
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm5);                   \
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm6);                   \
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm7)

struct _MACH_X86_TAG(i386_float_state) {
	_MACH_X86_FPU_HEAD;
	char _MACH_X86_F(fpu_rsrv4)[14 * 16];
	int  _MACH_X86_F(fpu_reserved1);
};
typedef struct _MACH_X86_TAG(i386_float_state) i386_float_state_t;
typedef struct _MACH_X86_TAG(i386_float_state) x86_float_state32_t;

struct _MACH_X86_TAG(x86_float_state64) {
	_MACH_X86_FPU_HEAD;
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm8);
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm9);
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm10);
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm11);
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm12);
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm13);
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm14);
	struct _MACH_X86_TAG(xmm_reg) _MACH_X86_F(fpu_xmm15);
	char _MACH_X86_F(fpu_rsrv4)[6 * 16];
	int  _MACH_X86_F(fpu_reserved1);
};
typedef struct _MACH_X86_TAG(x86_float_state64) x86_float_state64_t;

#undef _MACH_X86_FPU_HEAD

/* ---- exception state -------------------------------------------------- */

struct _MACH_X86_TAG(i386_exception_state) {
	uint16_t _MACH_X86_F(trapno);
	uint16_t _MACH_X86_F(cpu);
	uint32_t _MACH_X86_F(err);
	uint32_t _MACH_X86_F(faultvaddr);
};
typedef struct _MACH_X86_TAG(i386_exception_state) i386_exception_state_t;
typedef struct _MACH_X86_TAG(i386_exception_state) x86_exception_state32_t;

struct _MACH_X86_TAG(x86_exception_state64) {
	uint16_t _MACH_X86_F(trapno);
	uint16_t _MACH_X86_F(cpu);
	uint32_t _MACH_X86_F(err);
	uint64_t _MACH_X86_F(faultvaddr);
};
typedef struct _MACH_X86_TAG(x86_exception_state64) x86_exception_state64_t;

/* ---- debug registers -------------------------------------------------- */

struct _MACH_X86_TAG(x86_debug_state32) {
	unsigned int _MACH_X86_F(dr0);
	unsigned int _MACH_X86_F(dr1);
	unsigned int _MACH_X86_F(dr2);
	unsigned int _MACH_X86_F(dr3);
	unsigned int _MACH_X86_F(dr4);
	unsigned int _MACH_X86_F(dr5);
	unsigned int _MACH_X86_F(dr6);
	unsigned int _MACH_X86_F(dr7);
};
typedef struct _MACH_X86_TAG(x86_debug_state32) x86_debug_state32_t;

struct _MACH_X86_TAG(x86_debug_state64) {
	uint64_t _MACH_X86_F(dr0);
	uint64_t _MACH_X86_F(dr1);
	uint64_t _MACH_X86_F(dr2);
	uint64_t _MACH_X86_F(dr3);
	uint64_t _MACH_X86_F(dr4);
	uint64_t _MACH_X86_F(dr5);
	uint64_t _MACH_X86_F(dr6);
	uint64_t _MACH_X86_F(dr7);
};
typedef struct _MACH_X86_TAG(x86_debug_state64) x86_debug_state64_t;

/* ---- width-tagged containers ------------------------------------------ */

struct x86_thread_state {
	x86_state_hdr_t tsh;
	union {
		x86_thread_state32_t ts32;
		x86_thread_state64_t ts64;
	} uts;
};
typedef struct x86_thread_state x86_thread_state_t;

struct x86_float_state {
	x86_state_hdr_t fsh;
	union {
		x86_float_state32_t fs32;
		x86_float_state64_t fs64;
	} ufs;
};
typedef struct x86_float_state x86_float_state_t;

struct x86_exception_state {
	x86_state_hdr_t esh;
	union {
		x86_exception_state32_t es32;
		x86_exception_state64_t es64;
	} ues;
};
typedef struct x86_exception_state x86_exception_state_t;

struct x86_debug_state {
	x86_state_hdr_t dsh;
	union {
		x86_debug_state32_t ds32;
		x86_debug_state64_t ds64;
	} uds;
};
typedef struct x86_debug_state x86_debug_state_t;

/* ---- counts (in natural_t units) -------------------------------------- */

#define i386_THREAD_STATE_COUNT \
	((mach_msg_type_number_t)(sizeof(i386_thread_state_t) / sizeof(int)))
#define x86_THREAD_STATE32_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_thread_state32_t) / sizeof(int)))
#define x86_THREAD_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_thread_state64_t) / sizeof(int)))
#define x86_THREAD_STATE_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_thread_state_t) / sizeof(int)))

#define i386_FLOAT_STATE_COUNT \
	((mach_msg_type_number_t)(sizeof(i386_float_state_t) / sizeof(unsigned int)))
#define x86_FLOAT_STATE32_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_float_state32_t) / sizeof(unsigned int)))
#define x86_FLOAT_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_float_state64_t) / sizeof(unsigned int)))
#define x86_FLOAT_STATE_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_float_state_t) / sizeof(unsigned int)))

#define i386_EXCEPTION_STATE_COUNT \
	((mach_msg_type_number_t)(sizeof(i386_exception_state_t) / sizeof(int)))
#define I386_EXCEPTION_STATE_COUNT i386_EXCEPTION_STATE_COUNT
#define x86_EXCEPTION_STATE32_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_exception_state32_t) / sizeof(int)))
#define x86_EXCEPTION_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_exception_state64_t) / sizeof(int)))
#define X86_EXCEPTION_STATE64_COUNT x86_EXCEPTION_STATE64_COUNT
#define x86_EXCEPTION_STATE_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_exception_state_t) / sizeof(unsigned int)))

#define x86_DEBUG_STATE32_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_debug_state32_t) / sizeof(int)))
#define X86_DEBUG_STATE32_COUNT x86_DEBUG_STATE32_COUNT
#define x86_DEBUG_STATE64_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_debug_state64_t) / sizeof(int)))
#define X86_DEBUG_STATE64_COUNT x86_DEBUG_STATE64_COUNT
#define x86_DEBUG_STATE_COUNT \
	((mach_msg_type_number_t)(sizeof(x86_debug_state_t) / sizeof(unsigned int)))

#define MACHINE_THREAD_STATE       x86_THREAD_STATE
#define MACHINE_THREAD_STATE_COUNT x86_THREAD_STATE_COUNT

_MACH_STATIC_ASSERT(x86_THREAD_STATE32_COUNT == 16, "x86_THREAD_STATE32_COUNT");
_MACH_STATIC_ASSERT(x86_THREAD_STATE64_COUNT == 42, "x86_THREAD_STATE64_COUNT");
_MACH_STATIC_ASSERT(x86_THREAD_STATE_COUNT == 44, "x86_THREAD_STATE_COUNT");
_MACH_STATIC_ASSERT(x86_FLOAT_STATE32_COUNT == 131, "x86_FLOAT_STATE32_COUNT");
_MACH_STATIC_ASSERT(x86_FLOAT_STATE64_COUNT == 131, "x86_FLOAT_STATE64_COUNT");
_MACH_STATIC_ASSERT(x86_FLOAT_STATE_COUNT == 133, "x86_FLOAT_STATE_COUNT");
_MACH_STATIC_ASSERT(x86_EXCEPTION_STATE32_COUNT == 3, "x86_EXCEPTION_STATE32_COUNT");
_MACH_STATIC_ASSERT(x86_EXCEPTION_STATE64_COUNT == 4, "x86_EXCEPTION_STATE64_COUNT");
_MACH_STATIC_ASSERT(x86_EXCEPTION_STATE_COUNT == 6, "x86_EXCEPTION_STATE_COUNT");
_MACH_STATIC_ASSERT(x86_DEBUG_STATE32_COUNT == 8, "x86_DEBUG_STATE32_COUNT");
_MACH_STATIC_ASSERT(x86_DEBUG_STATE64_COUNT == 16, "x86_DEBUG_STATE64_COUNT");
_MACH_STATIC_ASSERT(x86_DEBUG_STATE_COUNT == 18, "x86_DEBUG_STATE_COUNT");

#undef _MACH_X86_F
#undef _MACH_X86_TAG

#endif /* _MACH_I386_THREAD_STATUS_H_ */
