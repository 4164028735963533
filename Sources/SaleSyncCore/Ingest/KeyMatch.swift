import MariaDB

/// How the statements that look at or delete a table's rows with the parts' keys find them:
/// a join with a temporary table holding every key, or, for one integer key column, conditions
/// on runs of consecutive keys (`KeyRanges`) that MariaDB turns into index ranges.
enum KeyMatch {
    /// `JOIN <keys> k ON ...`; the key table's `op` says upserted ('u') or deleted ('d').
    case table(join: String)
    /// The quoted key column; per op, each branch's runs.
    case runs(
        column: String, upserted: [(branch: String, runs: [(first: Int64, last: Int64)])],
        deleted: [(branch: String, runs: [(first: Int64, last: Int64)])])

    /// Bound parameters one statement may carry before the key table is the better way.
    static let maxParameters = 20_000

    /// FROM's tail and a WHERE condition with its parameters, selecting the rows of `t` whose
    /// keys were upserted ("u"), deleted ("d") or either (nil).
    func rows(_ op: String?) -> (join: String, condition: String, params: [SQLValue]) {
        switch self {
        case .table(let join):
            return (join, op.map { "k.op = '\($0)'" } ?? "TRUE", [])
        case .runs(let column, let upserted, let deleted):
            let lists = op == "u" ? upserted : op == "d" ? deleted : upserted + deleted
            var terms: [String] = []
            var params: [SQLValue] = []
            for (branch, runs) in lists where !runs.isEmpty {
                let singles = runs.filter { $0.first == $0.last }
                let spans = runs.filter { $0.first != $0.last }
                var alternatives: [String] = []
                if !singles.isEmpty { alternatives.append("t.\(column) IN (\(TableApplier.marks(singles.count)))") }
                alternatives += spans.map { _ in "t.\(column) BETWEEN ? AND ?" }
                terms.append("(t.branch_id = ? AND (\(alternatives.joined(separator: " OR "))))")
                params += [.text(branch)] + singles.map { .int($0.first) } + spans.flatMap { [SQLValue.int($0.first), .int($0.last)] }
            }
            return ("", terms.isEmpty ? "FALSE" : terms.joined(separator: " OR "), params)
        }
    }
}
