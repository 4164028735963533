import AMQP
import Foundation
import Logging
import MariaDB

/// Limits for one drain: when to stop and how fast to send.
public struct DrainOptions: Sendable {
    /// Stop starting new chunks after this instant.
    public var deadline: Date?
    /// Average bytes per second on the wire; nil for no limit.
    public var bandwidth: Int?
    /// After sending, wait up to this long for the head office's acknowledgements.
    public var ackWait: TimeInterval

    public init(deadline: Date? = nil, bandwidth: Int? = nil, ackWait: TimeInterval = 0) {
        self.deadline = deadline
        self.bandwidth = bandwidth
        self.ackWait = ackWait
    }
}
