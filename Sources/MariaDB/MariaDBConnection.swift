internal import CMariaDB
import Foundation

/// One connection to MariaDB. Owns the `MYSQL` handle; call `close()` when done (deinit is a safety net).
public final class MariaDBConnection {
    private var handle: UnsafeMutablePointer<MYSQL>?
    public let options: ConnectOptions

    public init(_ options: ConnectOptions) throws {
        self.options = options
        guard let h = mysql_init(nil) else {
            throw MariaDBError(
                code: MariaDBError.Code.clientOutOfMemory, sqlState: "HY000", message: "mysql_init: out of memory", context: "connect")
        }
        handle = h
        _ = salesync_set_timeout(h, MYSQL_OPT_CONNECT_TIMEOUT, options.connectTimeoutSeconds)
        _ = salesync_set_string_option(h, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        if options.localInfile { _ = salesync_enable_local_infile(h) }
        let socket = options.socket.flatMap { $0.isEmpty ? nil : $0 }
        let ok = mysql_real_connect(
            h, socket == nil ? options.host : nil, options.user, options.password,
            options.database, options.port, socket, 0)
        if ok == nil {
            let err = Self.error(h, "connect to \(socket ?? "\(options.host):\(options.port)") as \(options.user)")
            mysql_close(h)
            handle = nil
            throw err
        }
        if options.localInfile { refuseLocalFiles(h) }
    }

    deinit { close() }

    /// Closes the connection; further use throws.
    public func close() {
        if let h = handle { mysql_close(h); handle = nil }
    }

    var h: UnsafeMutablePointer<MYSQL> {
        get throws {
            guard let h = handle else {
                throw MariaDBError(code: MariaDBError.Code.serverGone, sqlState: "HY000", message: "connection is closed", context: "use")
            }
            return h
        }
    }

    static func error(_ h: UnsafeMutablePointer<MYSQL>, _ context: String) -> MariaDBError {
        MariaDBError(
            code: mysql_errno(h), sqlState: String(cString: mysql_sqlstate(h)),
            message: String(cString: mysql_error(h)), context: context)
    }

    /// The server's version string, e.g. "10.11.6-MariaDB-0+deb12u1".
    public var serverVersion: String {
        get throws { String(cString: mysql_get_server_info(try h)) }
    }

    /// Number of warnings raised by the last statement.
    public var warningCount: UInt32 {
        get throws { mysql_warning_count(try h) }
    }

    /// The server's summary of the last statement (e.g. "Records: 3  Deleted: 0  Skipped: 0  Warnings: 0").
    public var info: String? {
        get throws { mysql_info(try h).map { String(cString: $0) } }
    }

    /// Runs SQL without parameters or results (DDL, `BEGIN`, `COMMIT`...). Never splice values into `sql`:
    /// use `execute(_:_:)` with bound parameters for those.
    public func execute(_ sql: String) throws {
        let h = try h
        if mysql_real_query(h, sql, UInt(sql.utf8.count)) != 0 { throw Self.error(h, "query") }
        // Drain any result so the connection stays usable.
        repeat {
            if let r = mysql_store_result(h) { mysql_free_result(r) }
        } while mysql_next_result(h) == 0
    }

    /// Runs a statement with bound parameters and returns the number of affected rows.
    @discardableResult
    public func execute(_ sql: String, _ params: [SQLValue]) throws -> UInt64 {
        let stmt = try Statement(self, sql, direct: true)
        defer { stmt.close() }
        return try stmt.execute(params)
    }

    /// Runs an INSERT with bound parameters and returns the AUTO_INCREMENT value it generated
    /// (no second round trip for LAST_INSERT_ID()).
    public func insert(_ sql: String, _ params: [SQLValue]) throws -> UInt64 {
        let stmt = try Statement(self, sql, direct: true)
        defer { stmt.close() }
        try stmt.execute(params)
        return stmt.insertID
    }

    /// Runs a query with bound parameters and returns all rows as text. For small results only;
    /// use `stream` for bulk reads.
    public func query(_ sql: String, _ params: [SQLValue] = []) throws -> [Row] {
        let stmt = try Statement(self, sql, direct: true)
        defer { stmt.close() }
        return try stmt.query(params)
    }

    /// Streams a parameterless query row by row without buffering the result (mysql_use_result),
    /// so memory stays flat whatever the table size. Pass values through session variables
    /// set with bound parameters (`SET @x = ?`) rather than into the SQL text.
    public func stream(_ sql: String, _ body: (RowView) throws -> Void) throws {
        let h = try h
        if mysql_real_query(h, sql, UInt(sql.utf8.count)) != 0 { throw Self.error(h, "query") }
        guard let res = mysql_use_result(h) else {
            if mysql_field_count(h) == 0 { return }
            throw Self.error(h, "read result")
        }
        defer { mysql_free_result(res) }
        let n = Int(mysql_num_fields(res))
        var thrown: Error?
        while let row = mysql_fetch_row(res) {
            guard let lengths = mysql_fetch_lengths(res) else { break }
            do { try body(RowView(row: row, lengths: lengths, count: n)) } catch {
                thrown = error
                // Drain the rest so the connection stays usable.
                while mysql_fetch_row(res) != nil {}
                break
            }
        }
        if let thrown { throw thrown }
        if mysql_errno(h) != 0 { throw Self.error(h, "read rows") }
    }

    public func begin() throws { try execute("START TRANSACTION") }
    public func commit() throws { try execute("COMMIT") }
    public func rollback() throws { try execute("ROLLBACK") }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try begin()
        do {
            let result = try body()
            try commit()
            return result
        } catch {
            try? rollback()
            throw error
        }
    }

    /// Runs a `LOAD DATA LOCAL INFILE` statement whose file contents come from `source`, chunk by chunk,
    /// instead of from disk. `source` returns the next chunk, or an empty array at the end.
    /// Returns the number of affected rows.
    @discardableResult
    public func loadDataLocal(_ sql: String, source: @escaping () throws -> [UInt8]) throws -> UInt64 {
        let h = try h
        let feeder = InfileFeeder(source)
        let box = Unmanaged.passRetained(feeder)
        defer { box.release() }
        mysql_set_local_infile_handler(h, infileInit, infileRead, infileEnd, infileError, box.toOpaque())
        defer { refuseLocalFiles(h) }
        if mysql_real_query(h, sql, UInt(sql.utf8.count)) != 0 {
            if let e = feeder.failure { throw e }
            throw Self.error(h, "load data")
        }
        if let e = feeder.failure { throw e }
        return mysql_affected_rows(h)
    }

    /// Between its own loads a connection serves the server no file at all (`refuseInit`).
    private func refuseLocalFiles(_ h: UnsafeMutablePointer<MYSQL>) {
        mysql_set_local_infile_handler(h, refuseInit, refuseRead, infileEnd, refuseError, nil)
    }

    /// Detailed messages of the last statement's warnings (at most `limit`).
    public func warnings(limit: Int = 5) throws -> [String] {
        var out: [String] = []
        try stream("SHOW WARNINGS") { row in
            if out.count < limit { out.append("\(row.string(0) ?? "") \(row.string(1) ?? ""): \(row.string(2) ?? "")") }
        }
        return out
    }
}
