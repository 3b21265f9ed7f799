/*
 * libmach: <mach/ledger.h> -- resource ledgers (OSF interface).
 *
 * ledger_t, ledger_array_t, ledger_item_t and LEDGER_ITEM_INFINITY are
 * defined in <mach/mach_types.h>.
 */
#ifndef _MACH_LEDGER_H_
#define _MACH_LEDGER_H_

#include <mach/_mach_cdefs.h>
#include <mach/mach_types.h>

_MACH_BEGIN_DECLS

/* A child ledger of parent_ledger, funded with transfer units. */
kern_return_t ledger_create(ledger_t parent_ledger, ledger_t ledger_ledger, ledger_t *new_ledger,
                            ledger_item_t transfer);

/* Destroy a ledger, returning its balance to its parent. */
kern_return_t ledger_terminate(ledger_t ledger);

/* Move transfer units from parent_ledger to child_ledger. */
kern_return_t ledger_transfer(ledger_t parent_ledger, ledger_t child_ledger, ledger_item_t transfer);

/* Current balance and limit. */
kern_return_t ledger_read(ledger_t ledger, ledger_item_t *balance, ledger_item_t *limit);

_MACH_END_DECLS

#endif /* _MACH_LEDGER_H_ */
