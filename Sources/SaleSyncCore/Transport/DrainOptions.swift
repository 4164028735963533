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
    /// Interrupts the link at the deadline or on a signal (see `Watchdog`).
    public var watchdog: Watchdog?

    public init(deadline: Date? = nil, bandwidth: Int? = nil, ackWait: TimeInterval = 0, watchdog: Watchdog? = nil) {
        self.deadline = deadline
        self.bandwidth = bandwidth
        self.ackWait = ackWait
        self.watchdog = watchdog
    }

    /// Whether to stop starting new work: the deadline passed or a stop signal came.
    public var shouldStop: Bool { StopSignal.due(by: deadline) }

    /// `seconds`, or less if the deadline comes first (never below a tenth of a second).
    public func bounded(_ seconds: TimeInterval) -> TimeInterval {
        guard let deadline else { return seconds }
        return max(0.1, min(seconds, deadline.timeIntervalSinceNow + 1))
    }
}
