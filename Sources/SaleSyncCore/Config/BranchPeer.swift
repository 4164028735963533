import Foundation
import TOMLKit

/// One branch known to the head office.
public struct BranchPeer: Sendable {
    public var id: String
    /// Base64 of the branch's Ed25519 public key (what `salesync keygen` prints).
    public var publicKey: String
    /// When the branch is expected online (`window = "18:00-20:00"`); nil: any time.
    public var window: DailyWindow?

    public init(id: String, publicKey: String, window: DailyWindow? = nil) {
        self.id = id
        self.publicKey = publicKey
        self.window = window
    }
}
