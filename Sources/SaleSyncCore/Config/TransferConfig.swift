import Foundation
import TOMLKit

/// `[transfer]`: how bundles cross the link and how long they are kept.
public struct TransferConfig: Sendable {
    public var chunkSize = 1 << 20
    /// A bundle sent but not acknowledged after this long is sent again.
    public var resendAfter: TimeInterval = 6 * 3600
    /// Acknowledged bundles are kept this long in outbox/acked, then deleted.
    public var retention: TimeInterval = 7 * 86400
    /// A broker that confirms none of the outstanding chunks for this long is not taking them
    /// (e.g. a quorum queue whose cluster lost its majority): the drain ends with exit 75.
    public var confirmTimeout: TimeInterval = 60
}
