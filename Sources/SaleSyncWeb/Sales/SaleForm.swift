import Foundation
import MariaDB

/// A clerk's add or edit form checked against the table's columns before anything is written:
/// the first bad field is named with what was expected, and nothing is half-written.
public struct SaleForm: Sendable {
    public let table: SalesTable

    public init(table: SalesTable) { self.table = table }

    /// The columns a form shows: all but auto-increment ones (the database numbers new rows).
    public var inputs: [SalesColumn] { table.dataColumns.filter { !$0.autoIncrement } }

    /// Column values for an INSERT: empty optional fields are left to their default or NULL.
    public func insertValues(_ form: FormData) throws -> [(SalesColumn, SQLValue)] {
        var out: [(SalesColumn, SQLValue)] = []
        for c in inputs {
            let raw = form[c.name]?.trimmingCharacters(in: .whitespaces) ?? ""
            if raw.isEmpty {
                if c.required { throw FilterError(field: c.name, message: "required") }
                if c.hasDefault { continue }
                out.append((c, .null))
                continue
            }
            out.append((c, try Self.value(raw, c)))
        }
        return out
    }

    /// Column values for an UPDATE of every input column (empty: NULL where allowed).
    public func updateValues(_ form: FormData) throws -> [(SalesColumn, SQLValue)] {
        try inputs.map { c in
            let raw = form[c.name]?.trimmingCharacters(in: .whitespaces) ?? ""
            if raw.isEmpty {
                guard c.nullable else { throw FilterError(field: c.name, message: "required") }
                return (c, .null)
            }
            return (c, try Self.value(raw, c))
        }
    }

    /// One field's text as a typed SQL value, or the reason it is not one.
    static func value(_ raw: String, _ c: SalesColumn) throws -> SQLValue {
        func bad(_ expected: String) -> FilterError { FilterError(field: c.name, message: "expected \(expected), got \"\(raw)\"") }
        switch c.kind {
        case .integer:
            let (lo, hi) = integerRange(c)
            guard let v = Int64(raw) else {
                if c.unsigned, hi == Int64.max, let u = UInt64(raw) { return .uint(u) }
                throw bad("a whole number")
            }
            guard v >= lo && v <= hi else { throw bad("a whole number from \(lo) to \(hi)") }
            return .int(v)
        case .decimal:
            let digits = c.length ?? 65, scale = c.scale ?? 0
            guard raw.range(of: #"^-?\d+(\.\d+)?$"#, options: .regularExpression) != nil else { throw bad("a number like 12.50") }
            let parts = raw.trimmingCharacters(in: CharacterSet(charactersIn: "-")).split(separator: ".")
            let whole = parts[0].drop { $0 == "0" }.count, frac = parts.count > 1 ? parts[1].count : 0
            guard frac <= scale else { throw bad("at most \(scale) digit(s) after the point") }
            guard whole <= digits - scale else { throw bad("at most \(digits - scale) digit(s) before the point") }
            if c.unsigned && raw.hasPrefix("-") { throw bad("a number not below 0") }
            return .text(raw)
        case .float:
            guard let v = Double(raw), v.isFinite else { throw bad("a number") }
            return .double(v)
        case .text:
            if let n = c.length, raw.count > n { throw FilterError(field: c.name, message: "at most \(n) characters, got \(raw.count)") }
            return .text(raw)
        case .date:
            guard raw.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil, CivilDateCheck.valid(raw) else {
                throw bad("a date YYYY-MM-DD")
            }
            return .text(raw)
        case .datetime:
            let t = raw.replacingOccurrences(of: "T", with: " ")
            guard t.range(of: #"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"#, options: .regularExpression) != nil,
                CivilDateCheck.valid(String(t.prefix(10)))
            else { throw bad("a date and time YYYY-MM-DD HH:MM[:SS]") }
            return .text(t)
        case .other:
            return .text(raw)
        }
    }

    static func integerRange(_ c: SalesColumn) -> (Int64, Int64) {
        let bits: Int64
        switch c.type.split(separator: "(").first.map(String.init)?.split(separator: " ").first.map(String.init) ?? c.type {
        case "tinyint": bits = 8
        case "smallint": bits = 16
        case "mediumint": bits = 24
        case "int", "integer": bits = 32
        default: return c.unsigned ? (0, Int64.max) : (Int64.min, Int64.max)
        }
        return c.unsigned ? (0, (1 << bits) - 1) : (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
    }

    /// A row's key from the form's `key` field (the key columns' values, JSON array of strings).
    public func key(_ form: FormData) throws -> [SQLValue] {
        guard let text = form["key"], let data = text.data(using: .utf8),
            let values = try? JSONDecoder().decode([String].self, from: data), values.count == table.keyColumns.count
        else {
            throw FilterError(field: "key", message: "expected the row's key as the page gave it")
        }
        return values.map { .text($0) }
    }

    /// The `key` field's value for a row (key column values in order).
    public static func keyText(_ values: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(values), as: UTF8.self)) ?? "[]"
    }
}
