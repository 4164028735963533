import MariaDB

/// One change to salesync's own tables: a name recorded once it is applied, and its body.
public struct Migration: Sendable {
    /// Recorded in `salesync_migrations`; never renamed once released.
    public let name: String
    /// The `salesync_schema` version whose databases already hold it: how a database from before
    /// the record (which has only the version) is read.
    let sinceVersion: Int
    /// MariaDB commits DDL by itself, so a crash between a body and its record runs the body again:
    /// each is written to be run twice (IF NOT EXISTS).
    let body: @Sendable (MariaDBConnection) throws -> Void

    init(_ name: String, since version: Int = .max, _ body: @escaping @Sendable (MariaDBConnection) throws -> Void) {
        self.name = name
        sinceVersion = version
        self.body = body
    }

    /// A migration that runs one statement.
    init(_ name: String, since version: Int = .max, sql: String) {
        self.init(name, since: version) { try $0.execute(sql) }
    }
}
