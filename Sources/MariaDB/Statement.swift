internal import CMariaDB
import Foundation

/// A prepared statement with bound parameters. Owns its `MYSQL_STMT`.
public final class Statement {
    private var stmt: UnsafeMutablePointer<MYSQL_STMT>?
    private let connection: MariaDBConnection
    public let sql: String
    /// Prepared and executed in one round trip (`mariadb_stmt_execute_direct`), for a statement
    /// run once: the client sends both requests without waiting for the first answer. Why: a
    /// short command's dozen bookkeeping statements each paid two round trips.
    private let direct: Bool

    /// `direct`: the statement is executed once; it is prepared with that execution.
    public init(_ connection: MariaDBConnection, _ sql: String, direct: Bool = false) throws {
        self.connection = connection
        self.sql = sql
        self.direct = direct
        let h = try connection.h
        guard let s = mysql_stmt_init(h) else { throw MariaDBConnection.error(h, "prepare") }
        stmt = s
        if !direct && mysql_stmt_prepare(s, sql, UInt(sql.utf8.count)) != 0 {
            let e = Self.error(s, "prepare")
            mysql_stmt_close(s)
            stmt = nil
            throw e
        }
    }

    deinit { close() }

    /// Frees the statement on the server and in the client.
    public func close() {
        if let s = stmt { mysql_stmt_close(s); stmt = nil }
    }

    static func error(_ s: UnsafeMutablePointer<MYSQL_STMT>, _ context: String) -> MariaDBError {
        MariaDBError(
            code: mysql_stmt_errno(s), sqlState: String(cString: mysql_stmt_sqlstate(s)),
            message: String(cString: mysql_stmt_error(s)), context: context)
    }

    private var s: UnsafeMutablePointer<MYSQL_STMT> {
        get throws {
            guard let s = stmt else {
                throw MariaDBError(
                    code: MariaDBError.Code.statementClosed, sqlState: "HY000", message: "statement is closed", context: "execute")
            }
            return s
        }
    }

    /// Executes with `params` and returns the affected row count.
    @discardableResult
    public func execute(_ params: [SQLValue]) throws -> UInt64 {
        let s = try s
        try bindAndExecute(s, params)
        // A statement that returns rows must have them consumed before the next command.
        if mysql_stmt_field_count(s) > 0 { _ = mysql_stmt_free_result(s) }
        return mysql_stmt_affected_rows(s)
    }

    /// The AUTO_INCREMENT value the last `execute` generated (0: none).
    public var insertID: UInt64 { (try? s).map { mysql_stmt_insert_id($0) } ?? 0 }

    /// Executes with `params` and returns every row, each column as text.
    public func query(_ params: [SQLValue]) throws -> [Row] {
        let s = try s
        try bindAndExecute(s, params)
        let n = Int(mysql_stmt_field_count(s))
        guard n > 0 else { return [] }
        var names: [String] = []
        if let meta = mysql_stmt_result_metadata(s) {
            for i in 0..<n { names.append(String(cString: mysql_fetch_field_direct(meta, UInt32(i)).pointee.name)) }
            mysql_free_result(meta)
        }
        let bind = BindArrays(count: n)
        let (binds, lengths, nulls) = (bind.binds, bind.lengths, bind.nulls)
        let capacity = 256
        let buffers = (0..<n).map { _ in bind.storage(byteCount: capacity) }
        defer { _ = mysql_stmt_free_result(s) }
        for i in 0..<n {
            salesync_bind_set(binds + i, MYSQL_TYPE_STRING, buffers[i], UInt(capacity), lengths + i, nulls + i)
        }
        if mysql_stmt_bind_result(s, binds) != 0 { throw Self.error(s, "bind result") }
        var rows: [Row] = []
        while true {
            let rc = mysql_stmt_fetch(s)
            if rc == MYSQL_NO_DATA { break }
            if rc == 1 { throw Self.error(s, "fetch") }
            var values: [[UInt8]?] = []
            values.reserveCapacity(n)
            for i in 0..<n {
                if nulls[i] != 0 { values.append(nil); continue }
                let len = Int(lengths[i])
                if len <= capacity {
                    values.append(Array(UnsafeRawBufferPointer(start: buffers[i], count: len)))
                } else {
                    // Truncated: fetch the whole column into a buffer of the right size.
                    let big = UnsafeMutableRawPointer.allocate(byteCount: len, alignment: 8)
                    defer { big.deallocate() }
                    var col = MYSQL_BIND()
                    var colLen: UInt = 0
                    var colNull: my_bool = 0
                    salesync_bind_set(&col, MYSQL_TYPE_STRING, big, UInt(len), &colLen, &colNull)
                    if mysql_stmt_fetch_column(s, &col, UInt32(i), 0) != 0 { throw Self.error(s, "fetch column") }
                    values.append(Array(UnsafeRawBufferPointer(start: big, count: len)))
                }
            }
            rows.append(Row(values: values, columns: names))
        }
        return rows
    }

    private func bindAndExecute(_ s: UnsafeMutablePointer<MYSQL_STMT>, _ params: [SQLValue]) throws {
        if direct {
            if salesync_stmt_prebind(s, UInt32(params.count)) != 0 { throw Self.error(s, "bind") }
            let buffers = try bind(s, params)
            let rc = withExtendedLifetime(buffers) { mariadb_stmt_execute_direct(s, sql, sql.utf8.count) }
            // A mismatch is the caller's mistake, as below (the statement's own count is not told).
            if rc != 0 && mysql_stmt_errno(s) == MariaDBError.Code.invalidParameterNumber {
                throw Self.countMismatch("statement takes another number of parameters than the \(params.count) given")
            }
            if rc != 0 { throw Self.error(s, "execute") }
            return
        }
        try checkCount(s, params)
        let buffers = try bind(s, params)
        if withExtendedLifetime(buffers, { mysql_stmt_execute(s) }) != 0 { throw Self.error(s, "execute") }
    }

    private func checkCount(_ s: UnsafeMutablePointer<MYSQL_STMT>, _ params: [SQLValue]) throws {
        let expected = Int(mysql_stmt_param_count(s))
        guard expected == params.count else { throw Self.countMismatch("statement takes \(expected) parameters, \(params.count) given") }
    }

    /// The caller bound the wrong number of parameters: its mistake, told as such.
    private static func countMismatch(_ message: String) -> MariaDBError {
        MariaDBError(code: MariaDBError.Code.invalidParameterNumber, sqlState: "HY000", message: message, context: "bind")
    }

    /// Binds `params`; the buffers returned must live until the statement has executed.
    private func bind(_ s: UnsafeMutablePointer<MYSQL_STMT>, _ params: [SQLValue]) throws -> BindArrays? {
        guard !params.isEmpty else { return nil }
        let bind = BindArrays(count: params.count)
        let (binds, lengths, nulls) = (bind.binds, bind.lengths, bind.nulls)
        func store(_ bytes: UnsafeRawBufferPointer) -> UnsafeMutableRawPointer {
            let p = bind.storage(byteCount: bytes.count)
            if bytes.count > 0 { p.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
            return p
        }
        for (i, v) in params.enumerated() {
            let b = binds + i
            switch v {
            case .null:
                nulls[i] = 1
                salesync_bind_set(b, MYSQL_TYPE_NULL, nil, 0, nil, nulls + i)
            case .int(var x):
                let p = withUnsafeBytes(of: &x) { store($0) }
                salesync_bind_set(b, MYSQL_TYPE_LONGLONG, p, 8, nil, nil)
            case .uint(var x):
                let p = withUnsafeBytes(of: &x) { store($0) }
                salesync_bind_set(b, MYSQL_TYPE_LONGLONG, p, 8, nil, nil)
                salesync_bind_unsigned(b, true)
            case .double(var x):
                let p = withUnsafeBytes(of: &x) { store($0) }
                salesync_bind_set(b, MYSQL_TYPE_DOUBLE, p, 8, nil, nil)
            case .text(let t):
                var t = t
                let p = t.withUTF8 { store(UnsafeRawBufferPointer($0)) }
                lengths[i] = UInt(t.utf8.count)
                salesync_bind_set(b, MYSQL_TYPE_STRING, p, lengths[i], lengths + i, nil)
            case .bytes(let d):
                let p = d.withUnsafeBytes { store($0) }
                lengths[i] = UInt(d.count)
                salesync_bind_set(b, MYSQL_TYPE_BLOB, p, lengths[i], lengths + i, nil)
            }
        }
        if mysql_stmt_bind_param(s, binds) != 0 { throw Self.error(s, "bind") }
        return bind
    }
}
