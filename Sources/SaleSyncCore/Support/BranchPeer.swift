import Foundation
import TOMLKit

/// One branch known to the head office.
public struct BranchPeer: Sendable {
    public var id: String
    /// Base64 of the branch's Ed25519 public key (what `salesync keygen` prints).
    public var publicKey: String
}
