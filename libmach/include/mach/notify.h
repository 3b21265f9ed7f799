/*
 * libmach: <mach/notify.h> -- kernel notification messages.
 *
 * Notifications are requested with mach_port_request_notification() and
 * arrive as ordinary messages whose msgh_id is one of MACH_NOTIFY_*.
 */
#ifndef _MACH_NOTIFY_H_
#define _MACH_NOTIFY_H_

#include <mach/message.h>
#include <mach/ndr.h>
#include <mach/port.h>

#define MACH_NOTIFY_FIRST          0100
#define MACH_NOTIFY_PORT_DELETED   (MACH_NOTIFY_FIRST + 001) /* a send(-once) right was deleted */
#define MACH_NOTIFY_SEND_POSSIBLE  (MACH_NOTIFY_FIRST + 002) /* queue has room again */
#define MACH_NOTIFY_PORT_DESTROYED (MACH_NOTIFY_FIRST + 005) /* receive right returned */
#define MACH_NOTIFY_NO_SENDERS     (MACH_NOTIFY_FIRST + 006) /* last send right gone */
#define MACH_NOTIFY_SEND_ONCE      (MACH_NOTIFY_FIRST + 007) /* send-once right destroyed unused */
#define MACH_NOTIFY_DEAD_NAME      (MACH_NOTIFY_FIRST + 010) /* send right became a dead name */
#define MACH_NOTIFY_LAST           (MACH_NOTIFY_FIRST + 015)

typedef mach_port_t notify_port_t;


typedef struct {
	mach_msg_header_t           not_header;
	NDR_record_t                NDR;
	mach_port_name_t            not_port; /* the deleted name */
	mach_msg_format_0_trailer_t trailer;
} mach_port_deleted_notification_t;

typedef struct {
	mach_msg_header_t           not_header;
	NDR_record_t                NDR;
	mach_port_name_t            not_port; /* the port with room */
	mach_msg_format_0_trailer_t trailer;
} mach_send_possible_notification_t;

typedef struct {
	mach_msg_header_t           not_header;
	mach_msg_body_t             not_body;
	mach_msg_port_descriptor_t  not_port; /* carries the receive right */
	mach_msg_format_0_trailer_t trailer;
} mach_port_destroyed_notification_t;

typedef struct {
	mach_msg_header_t           not_header;
	NDR_record_t                NDR;
	mach_msg_type_number_t      not_count; /* make-send count when sent */
	mach_msg_format_0_trailer_t trailer;
} mach_no_senders_notification_t;

typedef struct {
	mach_msg_header_t           not_header;
	mach_msg_format_0_trailer_t trailer;
} mach_send_once_notification_t;

typedef struct {
	mach_msg_header_t           not_header;
	NDR_record_t                NDR;
	mach_port_name_t            not_port; /* the name that is now dead */
	mach_msg_format_0_trailer_t trailer;
} mach_dead_name_notification_t;

_MACH_STATIC_ASSERT(sizeof(mach_port_deleted_notification_t) == 56, "port-deleted notification size");
_MACH_STATIC_ASSERT(sizeof(mach_port_destroyed_notification_t) == 60, "port-destroyed notification size");
_MACH_STATIC_ASSERT(sizeof(mach_no_senders_notification_t) == 56, "no-senders notification size");
_MACH_STATIC_ASSERT(sizeof(mach_send_once_notification_t) == 44, "send-once notification size");
_MACH_STATIC_ASSERT(sizeof(mach_dead_name_notification_t) == 56, "dead-name notification size");

#endif /* _MACH_NOTIFY_H_ */
