/// An error from MariaDB Connector/C or the server, with the library's own message.
public struct MariaDBError: Error, CustomStringConvertible, Sendable {
    /// The server or client error number (e.g. 1045 access denied, 2002/2003 cannot connect).
    public let code: UInt32
    /// The five-character SQLSTATE, when the library reports one.
    public let sqlState: String
    /// The library's message, verbatim.
    public let message: String
    /// What salesync was doing (e.g. "connect", "prepare"), for the log line.
    public let context: String

    public init(code: UInt32, sqlState: String, message: String, context: String) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.context = context
    }

    public var description: String { "MariaDB \(context): \(message) (error \(code), SQLSTATE \(sqlState))" }

    /// True when the failure is about reaching the server rather than the statement itself:
    /// the caller may retry later (client errors 2000–2999 such as "can't connect", "server has gone away").
    public var isConnectionFailure: Bool {
        Code.clientRange.contains(code) && code != Code.paramsNotBound && code != Code.unsupportedParamType
    }

    /// Deadlock or lock wait timeout: the transaction was rolled back and may simply be retried.
    public var isTransient: Bool { code == Code.deadlock || code == Code.lockWaitTimeout }
}
