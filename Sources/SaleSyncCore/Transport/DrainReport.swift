import AMQP
import Foundation
import Logging
import MariaDB

/// What a drain did and what is left.
public struct DrainReport: Sendable {
    public var bundlesSent = 0
    public var chunksSent = 0
    public var bytesSent = 0
    public var acksApplied = 0
    public var deadlineReached = false
    /// A stop signal ended the drain early.
    public var stopped = false
    /// Bundles not yet acknowledged (pending, sent, or rejected by the head office).
    public var remaining = 0
    public var rejected = 0
}
