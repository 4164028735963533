import AMQP
import MariaDB

/// What kind of failure ended a command; decides the exit status (see docs/exit-codes in README).
public enum FailureClass: Int32, Sendable {
    /// Bad input data (a refused bundle, an ack that does not match): EX_DATAERR.
    case data = 65
    /// Temporary: broker or database unreachable, deadline reached with work left: EX_TEMPFAIL.
    case temporary = 75
    /// Bad configuration, key or password file: EX_CONFIG.
    case config = 78
    /// Anything else.
    case other = 1
}

/// An error salesync reports to the operator: one clear line, and the class that sets the exit status.
public struct SyncError: Error, CustomStringConvertible, Sendable {
    public let failure: FailureClass
    public let message: String

    public init(_ failure: FailureClass, _ message: String) {
        self.failure = failure
        self.message = message
    }

    public var description: String { message }

    public static func config(_ m: String) -> SyncError { SyncError(.config, m) }
    public static func data(_ m: String) -> SyncError { SyncError(.data, m) }
    public static func temporary(_ m: String) -> SyncError { SyncError(.temporary, m) }
    public static func other(_ m: String) -> SyncError { SyncError(.other, m) }
}

/// Maps any error to the class that decides the exit status.
public func classify(_ error: Error) -> FailureClass {
    switch error {
    case let e as SyncError: return e.failure
    case let e as BundleError: _ = e; return .data
    case let e as MariaDBError:
        if e.isConnectionFailure || e.isTransient { return .temporary }
        if e.code == 1045 || e.code == 1044 || e.code == 1049 || e.isMissingSalesyncTable { return .config }
        return .other
    case let e as AMQPError:
        // Credentials refused counts as temporary, like an unreachable broker: the broker's
        // users may be being rotated, and a branch's next window retries (the message says which).
        if e.isAccessRefused { return .temporary }
        return e.isConnectionFailure ? .temporary : .other
    default: return .other
    }
}

extension MariaDBError {
    /// "Table … doesn't exist" for one of salesync's own tables: `salesync init` was not run.
    public var isMissingSalesyncTable: Bool { code == 1146 && message.contains("salesync_") }
}
