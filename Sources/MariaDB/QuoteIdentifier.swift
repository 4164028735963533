/// Quotes an identifier (table or column name) for MariaDB: backticks, with embedded backticks doubled.
public func quoteIdentifier(_ name: String) -> String {
    "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
}
