import Crypto
import Foundation

/// Checks and decodes a group's bundles on a thread of its own, while the group before it is
/// being applied: the head office's CPU work on one group overlaps the database's on the other.
struct GroupDecoding {
    /// A branch's next bundle, locked and read from the inbox, its frame intact.
    struct Candidate: Sendable {
        var branch: String
        var inbox: InboxBundle
        var file: BundleFile
        /// It is the only complete bundle in the branch's inbox.
        var onlyOne: Bool
    }

    let candidates: [Candidate]
    private let members: Background<[BundleApplier.GroupMember?]>

    init(_ candidates: [Candidate], keys: BranchKeys) {
        self.candidates = candidates
        // A public key is an immutable value (swift-crypto does not mark it Sendable) and this
        // dictionary is a copy that nothing changes: reading it on another thread is safe.
        let keys = HandedOver(keys)
        members = Background("decode") { candidates.map { BundleApplier.groupMember($0, key: keys.value[$0.branch]) } }
    }

    /// The candidates' members, in order (nil: not for a group), once decoded.
    func wait() -> [BundleApplier.GroupMember?] { members.value() }
}
