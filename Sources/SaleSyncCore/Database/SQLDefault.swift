/// A column default as `information_schema.COLUMNS.COLUMN_DEFAULT` prints it, checked before it is
/// written into the head office's DDL: a bundle is signed, but DDL takes no bound parameters, so
/// only plain literals and the clock functions go in.
public enum SQLDefault {
    public static func isSafe(_ d: String) -> Bool {
        let patterns = [
            #"^NULL$"#,
            #"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"#,
            #"^'([^'\\]|''|\\.)*'$"#,
            #"^(current_timestamp|curdate|curtime|now|utc_timestamp)\(([0-6])?\)$"#,
        ]
        return patterns.contains { d.range(of: $0, options: [.regularExpression, .caseInsensitive]) != nil }
    }

    /// A default whose value depends on when it is evaluated: the branch's existing rows got
    /// the branch's clock, which the head office cannot reproduce.
    public static func isExpression(_ d: String) -> Bool {
        d.range(of: #"\("#, options: .regularExpression) != nil
    }
}
