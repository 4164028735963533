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
    /// The head office's words if this branch went back in time (its bundles are held there).
    public var wentBack: String?
    /// What came down from the head office in the same run (nil: the branch takes no downlink).
    public var downlink: DownlinkResult?
}

/// The downlink's part of a drain: what was received, or why it stopped.
public struct DownlinkResult: Sendable {
    public var report: DownlinkReceiver.Report?
    /// The error that ended it (the link died, the deadline cut it), as one line.
    public var failure: String?
    /// Complete: nothing failed or was refused, nothing waits for a missing bundle, nothing was
    /// left in the queue at the deadline.
    public var isComplete: Bool {
        failure == nil && report.map { $0.refused.isEmpty && $0.waiting == 0 && !$0.cutShort } ?? false
    }
}
