extension MariaDBError {
    /// The server (1xxx, 4xxx) and Connector/C (2xxx) error numbers salesync acts on, by name.
    public enum Code {
        // Server: access and objects.
        public static let databaseAccessDenied: UInt32 = 1044  // ER_DBACCESS_DENIED_ERROR
        public static let accessDenied: UInt32 = 1045  // ER_ACCESS_DENIED_ERROR
        public static let unknownDatabase: UInt32 = 1049  // ER_BAD_DB_ERROR
        public static let noSuchTable: UInt32 = 1146  // ER_NO_SUCH_TABLE
        public static let badField: UInt32 = 1054  // ER_BAD_FIELD_ERROR (also a trigger's OLD.column gone)
        public static let privilegeNeeded: UInt32 = 1227  // ER_SPECIFIC_ACCESS_DENIED_ERROR
        public static let triggerNeedsSuper: UInt32 = 1419  // ER_BINLOG_CREATE_ROUTINE_NEED_SUPER
        // Server: concurrency (the transaction was rolled back and may be retried).
        public static let lockWaitTimeout: UInt32 = 1205  // ER_LOCK_WAIT_TIMEOUT
        public static let deadlock: UInt32 = 1213  // ER_LOCK_DEADLOCK
        // Server: a row the table refuses (value, constraint).
        public static let nullNotAllowed: UInt32 = 1048  // ER_BAD_NULL_ERROR
        public static let duplicateEntry: UInt32 = 1062  // ER_DUP_ENTRY
        public static let outOfRange: UInt32 = 1264  // ER_WARN_DATA_OUT_OF_RANGE
        public static let dataTruncated: UInt32 = 1265  // WARN_DATA_TRUNCATED
        public static let wrongValue: UInt32 = 1366  // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
        public static let truncatedValue: UInt32 = 1292  // ER_TRUNCATED_WRONG_VALUE
        public static let badGeometry: UInt32 = 1416  // ER_CANT_CREATE_GEOMETRY_OBJECT
        public static let castNotAllowed: UInt32 = 4078  // ER_ILLEGAL_PARAMETER_DATA_TYPES2_FOR_OPERATION
        public static let dataTooLong: UInt32 = 1406  // ER_DATA_TOO_LONG
        public static let rowIsReferenced: UInt32 = 1451  // ER_ROW_IS_REFERENCED_2
        public static let noReferencedRow: UInt32 = 1452  // ER_NO_REFERENCED_ROW_2
        public static let constraintFailed: UInt32 = 4025  // ER_CONSTRAINT_FAILED (CHECK)
        // Server: the binary log (a file asked for was purged, or cannot be read).
        public static let binlogUnreadable: UInt32 = 1236  // ER_MASTER_FATAL_ERROR_READING_BINLOG
        // Connector/C: the client side (2000-2999 are about reaching the server, but for these).
        public static let clientRange: Range<UInt32> = 2000..<3000
        public static let clientUnknown: UInt32 = 2000  // CR_UNKNOWN_ERROR
        public static let serverGone: UInt32 = 2006  // CR_SERVER_GONE_ERROR
        public static let clientOutOfMemory: UInt32 = 2008  // CR_OUT_OF_MEMORY
        public static let paramsNotBound: UInt32 = 2031  // CR_PARAMS_NOT_BOUND
        public static let invalidParameterNumber: UInt32 = 2034  // CR_INVALID_PARAMETER_NO
        public static let unsupportedParamType: UInt32 = 2036  // CR_UNSUPPORTED_PARAM_TYPE
        public static let statementClosed: UInt32 = 2056  // CR_STMT_CLOSED
    }
}
