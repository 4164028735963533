import MariaDB

/// A bundle whose chunks are all in the inbox: the key its chunks share.
struct InboxBundle: Sendable {
    var seq: UInt64
    var sha: String
    var count: Int
}
