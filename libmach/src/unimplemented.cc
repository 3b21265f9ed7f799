// libmach: placeholder definitions of the Mach calls not implemented yet.
//
// Every function declared in <mach/*.h> has a definition here that fails
// honestly with KERN_NOT_SUPPORTED, so programs link and run against libmach
// today.  Each of these becomes a real call in the issue that builds it: the
// real definition goes into its own source file and its line here is
// deleted (the placeholders are ordinary definitions, so forgetting to
// delete one is a duplicate-symbol error when libmach.so links, rather
// than a static link that silently picks the placeholder).
//
// Deliberately absent: the calls implemented elsewhere. A port-returning
// *_self call has no truthful "unsupported" value (MACH_PORT_NULL would
// pass for a port), so such calls are never placeholders here: until one
// is implemented, a program that uses it fails to link.
//
// Parameters are left unnamed: the placeholders use none of them, and the
// declarations in the headers (included below) make the compiler check
// that each signature here is the declared one.

#include <mach/mach.h>

// Exported even though the library is built with -fvisibility=hidden.
#define MACH_STUB extern "C" __attribute__((visibility("default")))

// One placeholder: NAME with parameter types PARAMS, returning KERN_NOT_SUPPORTED.
#define UNSUPPORTED(ret, name, params) \
	MACH_STUB ret name params { return KERN_NOT_SUPPORTED; }

// ---- <mach/message.h> --------------------------------------------------------

// ---- <mach/task.h> -----------------------------------------------------------


// ---- <mach/ledger.h> ---------------------------------------------------------
UNSUPPORTED(kern_return_t, ledger_create, (ledger_t, ledger_t, ledger_t *, ledger_item_t))
UNSUPPORTED(kern_return_t, ledger_terminate, (ledger_t))
UNSUPPORTED(kern_return_t, ledger_transfer, (ledger_t, ledger_t, ledger_item_t))
UNSUPPORTED(kern_return_t, ledger_read, (ledger_t, ledger_item_t *, ledger_item_t *))

