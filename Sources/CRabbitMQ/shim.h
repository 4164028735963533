#ifndef SALESYNC_CRABBITMQ_SHIM_H
#define SALESYNC_CRABBITMQ_SHIM_H
/* rabbitmq-c 0.11 (Debian 12) installs <amqp.h>; 0.12+ moved the headers to <rabbitmq-c/...>. */
#if __has_include(<rabbitmq-c/amqp.h>)
#include <rabbitmq-c/amqp.h>
#include <rabbitmq-c/tcp_socket.h>
#include <rabbitmq-c/ssl_socket.h>
#else
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>
#endif
#include <stdint.h>
#include <sys/time.h>

/* amqp_login is variadic: Swift cannot call it directly. */
static inline amqp_rpc_reply_t salesync_amqp_login_plain(amqp_connection_state_t state, const char *vhost,
                                                         int channelMax, int frameMax, int heartbeat,
                                                         const char *user, const char *password) {
    return amqp_login(state, vhost, channelMax, frameMax, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

static inline amqp_bytes_t salesync_amqp_bytes(const void *p, size_t len) {
    amqp_bytes_t b; b.len = len; b.bytes = (void *)p; return b;
}

/* queue.declare with the x-arguments salesync uses (a table is an array of unions in C):
 * x-queue-type (NULL: the broker's default, classic) and, when dlx is set, the dead-letter
 * exchange and routing key a refused or over-delivered message goes to instead of being dropped. */
static inline amqp_queue_declare_ok_t *salesync_queue_declare(amqp_connection_state_t state, amqp_channel_t channel,
                                                              amqp_bytes_t queue, amqp_boolean_t passive,
                                                              const char *queue_type, const char *dlx, const char *dlrk) {
    amqp_table_entry_t entries[3];
    int n = 0;
    if (queue_type) {
        entries[n].key = amqp_cstring_bytes("x-queue-type");
        entries[n].value.kind = AMQP_FIELD_KIND_UTF8;
        entries[n].value.value.bytes = amqp_cstring_bytes(queue_type);
        n++;
    }
    if (dlx) {
        entries[n].key = amqp_cstring_bytes("x-dead-letter-exchange");
        entries[n].value.kind = AMQP_FIELD_KIND_UTF8;
        entries[n].value.value.bytes = amqp_cstring_bytes(dlx);
        n++;
        entries[n].key = amqp_cstring_bytes("x-dead-letter-routing-key");
        entries[n].value.kind = AMQP_FIELD_KIND_UTF8;
        entries[n].value.value.bytes = amqp_cstring_bytes(dlrk ? dlrk : "");
        n++;
    }
    amqp_table_t args;
    args.num_entries = n;
    args.entries = n ? entries : NULL;
    return amqp_queue_declare(state, channel, queue, passive, 1, 0, 0, args);
}

/* Reads the method of a frame without Swift having to know the frame's union layout. */
static inline amqp_method_number_t salesync_frame_method_id(const amqp_frame_t *f) { return f->payload.method.id; }
static inline void *salesync_frame_method_decoded(const amqp_frame_t *f) { return f->payload.method.decoded; }
static inline int salesync_frame_is_method(const amqp_frame_t *f) { return f->frame_type == AMQP_FRAME_METHOD; }

/* Method ids and property flags are macros with casts, which Swift does not import. */
static const amqp_method_number_t salesync_basic_ack_method = AMQP_BASIC_ACK_METHOD;
static const amqp_method_number_t salesync_basic_nack_method = AMQP_BASIC_NACK_METHOD;
static const amqp_method_number_t salesync_basic_return_method = AMQP_BASIC_RETURN_METHOD;
static const amqp_method_number_t salesync_basic_get_ok_method = AMQP_BASIC_GET_OK_METHOD;
static const amqp_method_number_t salesync_basic_deliver_method = AMQP_BASIC_DELIVER_METHOD;
static const amqp_method_number_t salesync_channel_close_method = AMQP_CHANNEL_CLOSE_METHOD;
static const amqp_method_number_t salesync_connection_close_method = AMQP_CONNECTION_CLOSE_METHOD;
static const amqp_flags_t salesync_publish_flags =
    AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG | AMQP_BASIC_TYPE_FLAG;
static const amqp_flags_t salesync_message_id_flag = AMQP_BASIC_MESSAGE_ID_FLAG;
static const amqp_flags_t salesync_type_flag = AMQP_BASIC_TYPE_FLAG;
#endif
