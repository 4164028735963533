/// Quotes an identifier (table or column name) for MariaDB: backticks, with embedded backticks doubled.
public func quoteIdentifier(_ name: String) -> String {
    "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
}

/// A string as an SQL literal (`'it''s'`, backslashes doubled), for the few places where DDL
/// takes no bound parameters (comments, trigger bodies).
public func sqlStringLiteral(_ s: String) -> String {
    "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
}
