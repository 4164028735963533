/// An error from rabbitmq-c or the broker, carrying the library's or broker's own message.
public struct AMQPError: Error, CustomStringConvertible, Sendable {
    /// Where the failure came from.
    public enum Kind: Sendable, Equatable {
        /// rabbitmq-c reported a local error (socket, timeout, TLS...): `code` is an `amqp_status_enum`.
        case library
        /// The broker closed the channel or connection: `code` is the AMQP reply code (403, 404, 406...).
        case broker
        /// The broker refused or returned a publish (nack, unroutable).
        case rejected
    }

    public let kind: Kind
    public let code: Int
    public let message: String
    public let context: String

    public init(kind: Kind, code: Int, message: String, context: String) {
        self.kind = kind
        self.code = code
        self.message = message
        self.context = context
    }

    public var description: String { "RabbitMQ \(context): \(message)" }

    /// True for failures where a later retry may succeed (broker unreachable, link cut, timeout).
    public var isConnectionFailure: Bool {
        switch kind {
        case .library: return true
        case .broker:
            return [
                AMQPReplyCode.connectionForced, AMQPReplyCode.internalError, AMQPReplyCode.frameError,
                AMQPReplyCode.channelError,
            ].contains(code)
        case .rejected: return false
        }
    }

    /// rabbitmq-c's "request timed out": the broker did not answer a request in time.
    public var isTimeout: Bool { kind == .library && code == -0x000D }  // AMQP_STATUS_TIMEOUT

    /// True when the broker refused the credentials or the permission.
    public var isAccessRefused: Bool { (kind == .broker && code == AMQPReplyCode.accessRefused) || message.contains("ACCESS_REFUSED") }
}
