/// Which transactions were open on the branch's server when an export took its snapshot: what
/// decides whether a hole in the change log can still fill (see docs/capture.md).
enum OpenTransactions: Equatable {
    /// None but the export's own.
    case none
    /// The oldest began at this server time.
    case since(String)
    /// Cannot be known (the database user lacks PROCESS): holes are kept.
    case unknown
}
