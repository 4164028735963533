import Foundation

/// The fields of an `application/x-www-form-urlencoded` body or a URL's query ("+" is a space).
public struct FormData: Sendable {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ encoded: String) {
        for pair in encoded.split(separator: "&") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(kv[0])
            fields.append((name, kv.count > 1 ? Self.decode(kv[1]) : ""))
        }
    }

    private static func decode(_ s: Substring) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The first value of `name`; nil when absent.
    public subscript(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// The first value of `name`, trimmed; nil when absent or blank.
    public func nonEmpty(_ name: String) -> String? {
        guard let v = self[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        return v
    }

    /// Percent-encodes `s` for a query value.
    public static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// `a=1&b=2` from pairs, values encoded, nil values left out.
    public static func query(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { k, v in v.map { "\(k)=\(encode($0))" } }.joined(separator: "&")
    }
}

extension FormData {
    /// Sets `name` (replacing its first value, else adding it): how the server fills computed fields.
    public mutating func set(_ name: String, _ value: String) {
        if let i = fields.firstIndex(where: { $0.name == name }) {
            fields[i].value = value
        } else {
            fields.append((name, value))
        }
    }
}
