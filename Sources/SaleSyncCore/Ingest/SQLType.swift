/// A `COLUMN_TYPE` taken apart (`decimal(12,2)`, `int(10) unsigned`, `varchar(32)`), to tell a
/// widening (every value of the old type fits the new one, unchanged) from any other change.
struct SQLType: Equatable {
    var base: String
    var params: [Int]
    var unsigned: Bool

    init(_ columnType: String) {
        let t = columnType.lowercased()
        unsigned = t.contains("unsigned")
        let head = t.split(separator: " ").first.map(String.init) ?? t
        if let open = head.firstIndex(of: "("), let close = head.firstIndex(of: ")") {
            base = String(head[..<open])
            params = head[head.index(after: open)..<close].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        } else {
            base = head
            params = []
        }
    }

    static let integers = ["tinyint", "smallint", "mediumint", "int", "bigint"]
    static let texts = ["tinytext", "text", "mediumtext", "longtext"]
    static let blobs = ["tinyblob", "blob", "mediumblob", "longblob"]

    /// Whether every value of `self` is a value of `other` with the same text (so rows and their
    /// hashes stay as they are). Display widths (`int(11)`) do not matter.
    func fits(in other: SQLType) -> Bool {
        if base == other.base && (Self.integers.contains(base) || base == "float" || base == "double") {
            return unsigned == other.unsigned
        }
        if let a = Self.integers.firstIndex(of: base), let b = Self.integers.firstIndex(of: other.base) {
            return unsigned == other.unsigned && a <= b
        }
        switch (base, other.base) {
        case ("float", "double"): return unsigned == other.unsigned
        case ("varchar", "varchar"), ("varbinary", "varbinary"), ("char", "char"):
            return (params.first ?? 1) <= (other.params.first ?? 1)
        case ("decimal", "decimal"):
            let (p, s) = (params.first ?? 10, params.count > 1 ? params[1] : 0)
            let (q, r) = (other.params.first ?? 10, other.params.count > 1 ? other.params[1] : 0)
            // Same scale: the text of a value does not change (12.50 stays 12.50).
            return s == r && p <= q && unsigned == other.unsigned
        default:
            if let a = Self.texts.firstIndex(of: base), let b = Self.texts.firstIndex(of: other.base) { return a <= b }
            if let a = Self.blobs.firstIndex(of: base), let b = Self.blobs.firstIndex(of: other.base) { return a <= b }
            return self == other
        }
    }
}
