/// The AMQP 0-9-1 reply codes salesync acts on, as the broker sends them in a channel or
/// connection close (`AMQPError.code` when its kind is `.broker`).
public enum AMQPReplyCode {
    /// CONNECTION_FORCED: an operator or a stopping node closed the connection.
    public static let connectionForced = 320
    /// ACCESS_REFUSED: credentials or a permission refused.
    public static let accessRefused = 403
    /// NOT_FOUND: no such queue or exchange.
    public static let notFound = 404
    /// PRECONDITION_FAILED: a declare whose arguments differ from the existing queue's.
    public static let preconditionFailed = 406
    /// FRAME_ERROR: a malformed frame (a link that cut a frame short).
    public static let frameError = 501
    /// CHANNEL_ERROR: a channel used out of turn, as after the broker closed it.
    public static let channelError = 504
    /// INTERNAL_ERROR: the broker failed (a quorum queue without its majority).
    public static let internalError = 541
}
