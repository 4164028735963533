/// The Branches page: every branch, those needing attention first.
struct BranchesPage: Sendable {
    let rows: [BranchRow]
    let count: Int
    let now: String
}
