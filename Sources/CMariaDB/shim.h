#ifndef SALESYNC_CMARIADB_SHIM_H
#define SALESYNC_CMARIADB_SHIM_H
#if __has_include(<mariadb/mysql.h>)
#include <mariadb/mysql.h>
#else
#include <mysql.h>
#endif
#include <stdbool.h>
#include <mariadb_rpl.h>

/* MYSQL_BIND is a struct whose field names differ across connector versions; these helpers
   keep the Swift side independent of the layout details it does not need. */
static inline void salesync_bind_set(MYSQL_BIND *b, enum enum_field_types type, void *buffer,
                                     unsigned long length, unsigned long *lengthOut, my_bool *isNull) {
    b->buffer_type = type;
    b->buffer = buffer;
    b->buffer_length = length;
    b->length = lengthOut;
    b->is_null = isNull;
}
static inline void salesync_bind_unsigned(MYSQL_BIND *b, bool isUnsigned) { b->is_unsigned = isUnsigned; }

/* How many parameters a statement prepared and executed at once (mariadb_stmt_execute_direct)
   takes: the client must bind them before the server has said. */
static inline int salesync_stmt_prebind(MYSQL_STMT *s, unsigned int count) {
    return mysql_stmt_attr_set(s, STMT_ATTR_PREBIND_PARAMS, &count);
}
static inline int salesync_enable_local_infile(MYSQL *m) {
    unsigned int on = 1;
    return mysql_optionsv(m, MYSQL_OPT_LOCAL_INFILE, &on);
}
static inline int salesync_set_timeout(MYSQL *m, enum mysql_option opt, unsigned int seconds) {
    return mysql_optionsv(m, opt, &seconds);
}
static inline int salesync_set_string_option(MYSQL *m, enum mysql_option opt, const char *value) {
    return mysql_optionsv(m, opt, value);
}
/* The binary log (salesync's `[capture] mode = "binlog"`). mariadb_rpl_optionsv is variadic,
   which Swift cannot call; these fix each option's argument types. */
static inline int salesync_rpl_set_file(MARIADB_RPL *r, const char *name, size_t length) {
    return mariadb_rpl_optionsv(r, MARIADB_RPL_FILENAME, name, length);
}
static inline int salesync_rpl_set_start(MARIADB_RPL *r, unsigned long position) {
    return mariadb_rpl_optionsv(r, MARIADB_RPL_START, position);
}
static inline int salesync_rpl_set_server_id(MARIADB_RPL *r, uint32_t id) {
    return mariadb_rpl_optionsv(r, MARIADB_RPL_SERVER_ID, id);
}
/* Non-blocking: the server ends the dump at the end of its binary log instead of waiting. */
static inline int salesync_rpl_set_nonblocking(MARIADB_RPL *r) {
    mariadb_rpl_optionsv(r, MARIADB_RPL_EXTRACT_VALUES, 1);
    return mariadb_rpl_optionsv(r, MARIADB_RPL_FLAGS, (unsigned int)MARIADB_RPL_BINLOG_DUMP_NON_BLOCK);
}
static inline MARIADB_RPL *salesync_rpl_init(MYSQL *m) { return mariadb_rpl_init(m); }
static inline bool salesync_rpl_is_rows(MARIADB_RPL_EVENT *e) { return IS_ROW_EVENT(e); }
#endif
