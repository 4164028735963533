/// A bundle whose table changed at the branch in a way the head office does not apply by itself:
/// it stays in the inbox (with every later bundle of the branch) until an operator accepts.
struct SchemaHold: Error, CustomStringConvertible {
    var table: String
    var schema: TableSchema
    var reasons: [String]

    var description: String { "table \(table): " + reasons.joined(separator: "; ") }
}
