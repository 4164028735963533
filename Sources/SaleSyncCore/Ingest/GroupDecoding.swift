import Crypto
import Foundation

/// Checks and decodes a group's bundles on a thread of its own, while the group before it is
/// being applied: the head office's CPU work on one group overlaps the database's on the other.
final class GroupDecoding: @unchecked Sendable {
    /// A branch's next bundle, locked and read from the inbox, its frame intact.
    struct Candidate: Sendable {
        var branch: String
        var inbox: InboxBundle
        var file: BundleFile
        /// It is the only complete bundle in the branch's inbox.
        var onlyOne: Bool
    }

    let candidates: [Candidate]
    /// Immutable, read by the decoding thread only (the key type is not marked Sendable).
    private let keys: [String: Curve25519.Signing.PublicKey]
    private var members: [BundleApplier.GroupMember?] = []
    private let done = DispatchSemaphore(value: 0)

    init(_ candidates: [Candidate], keys: [String: Curve25519.Signing.PublicKey]) {
        self.candidates = candidates
        self.keys = keys
        Thread.detachNewThread { [self] in
            members = candidates.map { BundleApplier.groupMember($0, key: self.keys[$0.branch]) }
            done.signal()
        }
    }

    /// The candidates' members, in order (nil: not for a group), once decoded.
    func wait() -> [BundleApplier.GroupMember?] {
        done.wait()
        done.signal()
        return members
    }
}
