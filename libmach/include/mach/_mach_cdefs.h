/*
 * libmach: internal helpers shared by the public <mach/...> headers.
 *
 * Not part of the Mach API itself; programs should not include this file
 * directly.  It supplies C/C++ linkage brackets and a compile-time assertion
 * that works in C99, C11 and C++11 or later, so that the rest of the headers
 * depend on nothing beyond <stdint.h> and <stddef.h>.
 */
#ifndef _MACH__MACH_CDEFS_H_
#define _MACH__MACH_CDEFS_H_

#ifdef __cplusplus
#define _MACH_BEGIN_DECLS extern "C" {
#define _MACH_END_DECLS   }
#else
#define _MACH_BEGIN_DECLS
#define _MACH_END_DECLS
#endif

#define _MACH_CONCAT_(a, b) a##b
#define _MACH_CONCAT(a, b)  _MACH_CONCAT_(a, b)

/*
 * _MACH_STATIC_ASSERT(expr, "text"): checked at compile time at file scope.
 */
#if defined(__cplusplus) && __cplusplus >= 201103L
#define _MACH_STATIC_ASSERT(expr, text) static_assert(expr, text)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define _MACH_STATIC_ASSERT(expr, text) _Static_assert(expr, text)
#else
/* C99 fallback: a negative array size stops the build. */
#ifdef __COUNTER__
#define _MACH_ASSERT_ID __COUNTER__
#else
#define _MACH_ASSERT_ID __LINE__
#endif
#define _MACH_STATIC_ASSERT(expr, text) \
	typedef char _MACH_CONCAT(_mach_static_assert_, _MACH_ASSERT_ID)[(expr) ? 1 : -1]
#endif

/* Only 64-bit Linux targets are supported by libmach. */
#if !defined(__x86_64__) && !defined(__aarch64__)
#error "libmach <mach/...> headers support x86-64 and arm64 only"
#endif
#if !defined(__LP64__) && !defined(_LP64)
#error "libmach <mach/...> headers require an LP64 data model"
#endif

#endif /* _MACH__MACH_CDEFS_H_ */
