import Foundation

extension Ingestor {
    /// Rows a group gathers before it is applied: enough that its loads run at the speed of one
    /// large bundle's. A bundle of more than half of it goes on its own, through the lanes.
    static let groupRows = 100_000
    /// Bundles in one group at most (tiny deltas of many branches).
    static let groupBundles = 256

    /// Applies the next bundle of every listed branch that has it ready, many branches' bundles
    /// to a transaction: two hundred branches' daily deltas then cost a few large loads instead
    /// of two hundred small ones, each with its own statements and commit. Each bundle still
    /// goes in whole or not at all, and only when it is its branch's next. While one group is
    /// applied, the next one is decoded on another thread. Returns the branches left with
    /// nothing to apply; the rest go through `applyBranch` as before.
    func applyGrouped(_ branches: [String], report: inout IngestReport, stop: () -> Bool) throws -> Set<String> {
        guard branches.count > 1 else { return [] }
        var settled = Set<String>()
        var decoding: GroupDecoding?
        var gathered: [GroupDecoding.Candidate] = []
        var rows = 0
        // On an error, the branches gathered or being decoded are let go of too.
        defer { for c in gathered + (decoding?.candidates ?? []) { unlockBranch(c.branch) } }
        // Starts decoding what was gathered, then applies the group decoded before.
        func next() throws {
            let previous = decoding
            decoding = gathered.isEmpty ? nil : GroupDecoding(gathered, keys: keys)
            (gathered, rows) = ([], 0)
            if let previous { try applyDecoded(previous, report: &report, settled: &settled) }
        }
        for b in branches {
            if stop() { break }
            // A branch another process holds is left to it (and looked at again one at a time).
            guard try lockBranch(b) else { continue }
            guard let c = try candidate(b, settled: &settled) else {
                unlockBranch(b)
                continue
            }
            gathered.append(c)
            rows += c.file.header.rowCount
            if rows >= Self.groupRows || gathered.count >= Self.groupBundles { try next() }
        }
        try next()
        try next()
        return settled
    }

    /// The branch's next bundle, read from the inbox, when it is complete and small enough for
    /// a group; notes a branch with no complete bundle as settled.
    private func candidate(_ branch: String, settled: inout Set<String>) throws -> GroupDecoding.Candidate? {
        let ready = try inbox.complete(branch)
        guard let next = ready.first else {
            settled.insert(branch)
            return nil
        }
        let position = try primary.position(branch)
        guard next.seq == position.last + 1, position.wentBack == nil,
            let file = try? BundleApplier.open(try inbox.assemble(branch, next), as: next),
            file.header.rowCount <= Self.groupRows / 2, file.header.history == position.epoch
        else { return nil }
        return GroupDecoding.Candidate(branch: branch, inbox: next, file: file, onlyOne: ready.count == 1)
    }

    /// Applies a decoded group's members, then lets go of their branches.
    private func applyDecoded(_ d: GroupDecoding, report: inout IngestReport, settled: inout Set<String>) throws {
        defer { for c in d.candidates { unlockBranch(c.branch) } }
        var group: [BundleApplier.GroupMember] = []
        for m in d.wait() {
            if let m, try primary.readyTables(m) { group.append(m) }
        }
        if try primary.applyGroup(group, report: &report) {
            let only = Set(d.candidates.filter(\.onlyOne).map(\.branch))
            settled.formUnion(group.map(\.branch).filter(only.contains))
        }
    }
}
