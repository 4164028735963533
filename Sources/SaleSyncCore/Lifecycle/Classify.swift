import AMQP
import MariaDB

/// Maps any error to the class that decides the exit status.
public func classify(_ error: Error) -> FailureClass {
    switch error {
    case let e as SyncError: return e.failure
    case let e as BundleError: _ = e; return .data
    case let e as MariaDBError:
        if e.isConnectionFailure || e.isTransient { return .temporary }
        if [MariaDBError.Code.accessDenied, MariaDBError.Code.databaseAccessDenied, MariaDBError.Code.unknownDatabase].contains(e.code)
            || e.isMissingSalesyncTable
        {
            return .config
        }
        return .other
    case let e as AMQPError:
        // Credentials or permissions refused: a configuration to fix, not something the next
        // window's retry mends (a typo in a password file would otherwise retry silently every night).
        if e.isAccessRefused { return .config }
        return e.isConnectionFailure ? .temporary : .other
    default: return .other
    }
}
