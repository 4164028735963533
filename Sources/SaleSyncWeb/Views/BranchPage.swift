/// One branch's page: its row, recent applied bundles and its quarantine entries.
struct BranchPage: Sendable {
    let id: String
    let row: BranchRow?
    let bundles: [AppliedBundleRow]
    let entries: [QuarantineRow]
}
