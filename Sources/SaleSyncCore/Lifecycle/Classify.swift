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
        // Credentials refused counts as temporary, like an unreachable broker: the broker's
        // users may be being rotated, and a branch's next window retries (the message says which).
        if e.isAccessRefused { return .temporary }
        return e.isConnectionFailure ? .temporary : .other
    default: return .other
    }
}
