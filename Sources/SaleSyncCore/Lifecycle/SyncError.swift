import AMQP
import MariaDB

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
