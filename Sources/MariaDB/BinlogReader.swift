internal import CMariaDB
import Foundation

/// Reads a server's binary log from a position to its current end, over a connection of its
/// own (Connector/C's `mariadb_rpl_*`, as a replica would). Owns the `MARIADB_RPL` handle and the
/// table-map events the row events refer to.
public final class BinlogReader {
    private let connection: MariaDBConnection
    private var rpl: UnsafeMutablePointer<MARIADB_RPL>?
    /// The last event fetched: Connector/C reuses its memory for the next one.
    private var event: UnsafeMutablePointer<MARIADB_RPL_EVENT>?
    /// Table maps by table id, kept while row events may name them.
    private var maps: [UInt64: TableMap] = [:]
    /// Where the next event starts.
    public private(set) var position: BinlogPosition
    /// Where the last event read started (a transaction's boundary when it is a GTID event).
    public private(set) var eventStart: BinlogPosition

    /// A table map event and what the caller said of its table.
    private struct TableMap {
        let event: UnsafeMutablePointer<MARIADB_RPL_EVENT>
        let database: String
        let table: String
        /// The columns whose values the caller wants; nil: the table's events are skipped.
        let wanted: [Int]?
    }

    /// Starts reading at `position`. `connection` is the reader's alone (the dump takes it over);
    /// `serverID` must differ from the server's and from any replica's: the server ends an
    /// older dump that has the same id.
    public init(_ connection: MariaDBConnection, from position: BinlogPosition, serverID: UInt32) throws {
        self.connection = connection
        self.position = position
        self.eventStart = position
        let h = try connection.h
        // The events arrive with the checksum the server writes; Connector/C checks and strips it.
        try connection.execute("SET @master_binlog_checksum = @@global.binlog_checksum, @mariadb_slave_capability = 4")
        guard let r = salesync_rpl_init(h) else { throw MariaDBConnection.error(h, "binlog reader") }
        rpl = r
        _ = salesync_rpl_set_file(r, position.file, position.file.utf8.count)
        _ = salesync_rpl_set_start(r, UInt(position.offset))
        _ = salesync_rpl_set_server_id(r, serverID)
        _ = salesync_rpl_set_nonblocking(r)
        if mariadb_rpl_open(r) != 0 { throw failure("open the binary log at \(position)") }
    }

    deinit { close() }

    /// Ends the dump and frees every event kept.
    public func close() {
        if let e = event { mariadb_free_rpl_event(e) }
        event = nil
        for m in maps.values { mariadb_free_rpl_event(m.event) }
        maps = [:]
        if let r = rpl { mariadb_rpl_close(r) }
        rpl = nil
    }

    /// The next event, or nil at the end of the binary log. `wanted` is asked once per table
    /// map, with the table's database, name and column names (empty when the server did not log
    /// them: `binlog_row_metadata` not FULL), for the columns whose values to decode; nil skips
    /// the table's events.
    public func next(wanted: (String, String, [String]) throws -> [Int]?) throws -> BinlogEvent? {
        guard let r = rpl else { return nil }
        guard let e = mariadb_rpl_fetch(r, event) else {
            event = nil
            let h = try connection.h
            if mariadb_rpl_errno(r) != 0 || mysql_errno(h) != 0 { throw failure("read the binary log at \(position)") }
            return nil
        }
        event = e
        eventStart = position
        advance(e)
        switch e.pointee.event_type {
        case GTID_EVENT: return .begin
        case XID_EVENT: return .commit
        case QUERY_EVENT:
            let q = e.pointee.event.query.statement
            return Self.string(q.str, q.length) == "COMMIT" ? .commit : .other
        case TABLE_MAP_EVENT:
            try keep(e, wanted)
            return .other
        default:
            guard salesync_rpl_is_rows(e) else { return .other }
            return try rows(e).map { .rows($0) } ?? .other
        }
    }

    /// Moves `position` past the event: a rotate names the next file; artificial events (the
    /// first rotate and format description of a dump) have no position of their own.
    private func advance(_ e: UnsafeMutablePointer<MARIADB_RPL_EVENT>) {
        if e.pointee.event_type == ROTATE_EVENT {
            let f = e.pointee.event.rotate.filename
            position = BinlogPosition(file: Self.string(f.str, f.length), offset: e.pointee.event.rotate.position)
        } else if e.pointee.next_event_pos != 0 && e.pointee.flags & UInt16(LOG_EVENT_ARTIFICIAL_F) == 0 {
            position.offset = UInt64(e.pointee.next_event_pos)
        }
    }

    /// Keeps a table map (the row events after it refer to it by id) and asks what is wanted of it.
    private func keep(_ e: UnsafeMutablePointer<MARIADB_RPL_EVENT>, _ wanted: (String, String, [String]) throws -> [Int]?) throws {
        let t = e.pointee.event.table_map
        let database = Self.string(t.database.str, t.database.length)
        let table = Self.string(t.table.str, t.table.length)
        let names = Self.names(t.column_names.data, Int(t.column_names.length))
        let map = TableMap(event: e, database: database, table: table, wanted: try wanted(database, table, names))
        if let old = maps.updateValue(map, forKey: t.table_id) { mariadb_free_rpl_event(old.event) }
        event = nil  // kept: the next fetch must not reuse it
    }

    /// The wanted values of a row event's rows.
    private func rows(_ e: UnsafeMutablePointer<MARIADB_RPL_EVENT>) throws -> BinlogRows? {
        let re = e.pointee.event.rows
        guard let map = maps[re.table_id], let wanted = map.wanted, let r = rpl else { return nil }
        let kind: BinlogRows.Kind = re.type == UPDATE_ROWS ? .update : re.type == DELETE_ROWS ? .delete : .insert
        var images: [[SQLValue]] = []
        var row = mariadb_rpl_extract_rows(r, map.event, e)
        if row == nil && re.row_data_size > 0 { throw failure("decode rows of \(map.database).\(map.table) at \(position)") }
        while let current = row {
            let columns = current.pointee.columns
            let count = Int(current.pointee.column_count)
            images.append(
                try wanted.map { i in
                    guard i < count, let c = columns else {
                        throw MariaDBError(
                            code: MariaDBError.Code.binlogUnreadable, sqlState: "HY000",
                            message: "row event of \(map.database).\(map.table) has \(count) columns, not \(i + 1)", context: "binlog")
                    }
                    return Self.value(c[i])
                })
            row = current.pointee.next
        }
        return BinlogRows(database: map.database, table: map.table, kind: kind, images: images)
    }

    private func failure(_ context: String) -> MariaDBError {
        guard let r = rpl, mariadb_rpl_errno(r) != 0 else {
            if let h = try? connection.h { return MariaDBConnection.error(h, context) }
            return MariaDBError(code: MariaDBError.Code.serverGone, sqlState: "HY000", message: "connection is closed", context: context)
        }
        return MariaDBError(
            code: mariadb_rpl_errno(r), sqlState: "HY000", message: String(cString: mariadb_rpl_error(r)), context: context)
    }
}

extension BinlogReader {
    static func string(_ p: UnsafeMutablePointer<CChar>?, _ length: Int) -> String {
        guard let p, length > 0 else { return "" }
        return p.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// The column names of a table map's optional metadata: each a length byte and the name.
    static func names(_ data: UnsafePointer<UInt8>?, _ length: Int) -> [String] {
        guard let data, length > 0 else { return [] }
        var out: [String] = []
        var i = 0
        while i < length {
            let n = Int(data[i])
            guard n < 251, i + 1 + n <= length else { return [] }  // longer names do not exist (64 bytes at most)
            out.append(String(decoding: UnsafeBufferPointer(start: data + i + 1, count: n), as: UTF8.self))
            i += 1 + n
        }
        return out
    }

    /// A decoded value as a statement parameter: strings (and decimals) as their bytes, which the
    /// server stores as they are in a column of the same character set; dates as text.
    static func value(_ v: MARIADB_RPL_VALUE) -> SQLValue {
        if v.is_null != 0 { return .null }
        switch v.field_type {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_INT24, MYSQL_TYPE_LONG, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_YEAR:
            return v.is_signed != 0 ? .int(v.val.ll) : .uint(v.val.ull)
        case MYSQL_TYPE_FLOAT: return .double(Double(v.val.f))
        case MYSQL_TYPE_DOUBLE: return .double(v.val.d)
        case MYSQL_TYPE_DATE, MYSQL_TYPE_NEWDATE, MYSQL_TYPE_DATETIME, MYSQL_TYPE_DATETIME2, MYSQL_TYPE_TIME, MYSQL_TYPE_TIME2:
            return .text(timeText(v.val.tm))
        default:
            let s = v.val.str
            guard let p = s.str, s.length > 0 else { return .bytes([]) }
            return p.withMemoryRebound(to: UInt8.self, capacity: s.length) {
                .bytes(Array(UnsafeBufferPointer(start: $0, count: s.length)))
            }
        }
    }

    static func timeText(_ t: MYSQL_TIME) -> String {
        func two(_ n: UInt32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let time = "\(two(t.hour)):\(two(t.minute)):\(two(t.second)).\(String(t.second_part).leftPaddedZeros(6))"
        if t.time_type == MYSQL_TIMESTAMP_TIME { return (t.neg != 0 ? "-" : "") + time }
        let date = "\(String(t.year).leftPaddedZeros(4))-\(two(t.month))-\(two(t.day))"
        return t.time_type == MYSQL_TIMESTAMP_DATE ? date : date + " " + time
    }
}

extension String {
    fileprivate func leftPaddedZeros(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
