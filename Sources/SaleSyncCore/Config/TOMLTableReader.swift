import Foundation
import TOMLKit

/// Reads one TOML table, checking types and remembering which keys were used so that
/// unknown (misspelt) keys are reported instead of silently ignored.
final class TableReader {
    let file: String
    let table: TOMLTable
    let prefix: String
    var used: Set<String> = []

    init(file: String, table: TOMLTable, prefix: String) {
        self.file = file
        self.table = table
        self.prefix = prefix
    }

    func fail(_ key: String, _ expected: String) -> SyncError {
        SyncError.config("\(file): key \(prefix)\(key): expected \(expected)")
    }

    func value(_ key: String, required: Bool, _ expected: String) throws -> TOMLValueConvertible? {
        used.insert(key)
        guard let v = table[key] else {
            if required { throw SyncError.config("\(file): key \(prefix)\(key): missing (expected \(expected))") }
            return nil
        }
        return v
    }

    func string(_ key: String, required: Bool = false) throws -> String? {
        guard let v = try value(key, required: required, "a string") else { return nil }
        guard let s = v.string else { throw fail(key, "a string, got \(v.type)") }
        return s
    }

    func int(_ key: String, range: ClosedRange<Int>) throws -> Int? {
        guard let v = try value(key, required: false, "an integer") else { return nil }
        guard let i = v.int, range.contains(i) else {
            throw fail(key, "an integer from \(range.lowerBound) to \(range.upperBound), got \(v.debugDescription)")
        }
        return i
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = try value(key, required: false, "true or false") else { return nil }
        guard let b = v.bool else { throw fail(key, "true or false, got \(v.debugDescription)") }
        return b
    }

    func stringArray(_ key: String, required: Bool) throws -> [String]? {
        guard let v = try value(key, required: required, "an array of strings") else { return nil }
        guard let a = v.array else { throw fail(key, "an array of strings, got \(v.type)") }
        var out: [String] = []
        for item in a {
            guard let s = item.string, !s.isEmpty else { throw fail(key, "an array of non-empty strings") }
            out.append(s)
        }
        return out
    }

    func duration(_ key: String) throws -> TimeInterval? {
        guard let v = try value(key, required: false, "a duration") else { return nil }
        guard let s = v.string, let d = Config.parseDuration(s) else { throw fail(key, "a duration such as \"90m\", \"6h\" or \"7d\"") }
        return d
    }

    func size(_ key: String) throws -> Int? {
        guard let v = try value(key, required: false, "a size") else { return nil }
        if let i = v.int, i > 0 { return i }
        guard let s = v.string, let n = Config.parseSize(s), n > 0 else { throw fail(key, "a size such as \"1m\" or \"256k\"") }
        return n
    }

    func table(_ key: String, required: Bool = false) throws -> TableReader? {
        guard let v = try value(key, required: required, "a table [\(prefix)\(key)]") else { return nil }
        guard let t = v.table else { throw fail(key, "a table [\(prefix)\(key)], got \(v.type)") }
        return TableReader(file: file, table: t, prefix: prefix + key + ".")
    }

    /// Throws for the first key nobody asked for.
    func finish() throws {
        for k in table.keys.sorted() where !used.contains(k) {
            throw SyncError.config("\(file): key \(prefix)\(k): unknown key (misspelt?)")
        }
    }
}
