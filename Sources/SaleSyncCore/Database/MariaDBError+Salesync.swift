import AMQP
import MariaDB

extension MariaDBError {
    /// "Table … doesn't exist" for one of salesync's own tables: `salesync init` was not run.
    public var isMissingSalesyncTable: Bool { code == MariaDBError.Code.noSuchTable && message.contains("salesync_") }
}
