import Crypto
import Foundation
import Logging
import MariaDB

extension Exporter {
    /// Log entries not yet exported: past the watermark, or inside a recorded hole.
    static let pendingCondition = """
        (l.seq > @salesync_w OR EXISTS (SELECT 1 FROM salesync_holes h
           WHERE h.table_id = @salesync_tid AND l.seq BETWEEN h.lo AND h.hi))
        """

    /// How many entries of table `table`'s change log no export has taken yet.
    static func pendingEntries(_ conn: MariaDBConnection, table: Int, watermark: UInt64) throws -> Int {
        try conn.execute("SET @salesync_w = ?, @salesync_tid = ?", [.uint(watermark), .int(Int64(table))])
        return Int(
            try conn.query("SELECT COUNT(*) FROM \(quoteIdentifier(CapturedTable.logTable(table))) l WHERE \(pendingCondition)").first?
                .int(0) ?? 0)
    }

    /// `pendingCondition` as ranges of positions the primary key can seek to: entries an earlier
    /// export read may still be there (a plain export leaves its own to the next command, and
    /// one being deleted beside this export is still visible to its snapshot), and a condition
    /// with EXISTS would read them all. Many holes (rare) fall back to the general condition.
    /// The values are the ranges' own integers, not text from outside.
    static func rangeCondition(_ ranges: [(lo: UInt64, hi: UInt64, seenAt: String)]) -> String {
        guard ranges.count <= 64 else { return pendingCondition }
        let parts = ranges.map { r in r.hi == UInt64.max ? "l.seq >= \(r.lo)" : "l.seq BETWEEN \(r.lo) AND \(r.hi)" }
        return "(" + parts.joined(separator: " OR ") + ")"
    }

    struct LogScan {
        var entries = 0
        var logFrom: UInt64 = 0
        var logTo: UInt64 = 0
        var rowDelta: Int64 = 0
        /// An entry's trigger could not keep the old row (a column was dropped, renamed or retyped
        /// before the triggers followed): the state must come from the table.
        var oldHashUnknown = false
        /// The changed keys, when gathered during the scan (see `ChangedKeys`).
        var keys: ChangedKeys?
        var holes: [(lo: UInt64, hi: UInt64, seenAt: String)] = []
    }

    /// Reads the pending log entries in order, adding up their effect on the row count and
    /// finding positions that are not visible (yet) although later ones are: holes.
    func scanLog(_ t: CapturedTable, _ oldRow: OldRowSQL, snapshotTime: String, gatherKeys: Bool) throws -> LogScan {
        var scan = LogScan()
        if gatherKeys { scan.keys = ChangedKeys() }
        // Ranges an entry may come from: recorded holes, then everything past the watermark.
        var ranges: [(lo: UInt64, hi: UInt64, seenAt: String)] = try conn.query(
            "SELECT lo, hi, DATE_FORMAT(seen_at, '%Y-%m-%d %H:%i:%s.%f') FROM salesync_holes WHERE table_id = ? ORDER BY lo",
            [.int(Int64(t.id))]
        ).map { ($0.uint(0) ?? 0, $0.uint(1) ?? 0, $0[2] ?? snapshotTime) }
        ranges.append((t.watermark + 1, UInt64.max, snapshotTime))
        var ri = 0
        var expected = ranges[0].lo
        func closeRange(upTo end: UInt64) {
            // Whatever of the current range was not seen before `end` is a hole.
            if expected <= end && expected <= ranges[ri].hi {
                scan.holes.append((expected, min(end, ranges[ri].hi), ranges[ri].seenAt))
            }
        }
        let extra = gatherKeys ? ", l.`k1`, \(oldRow.hash("l"))" : ""
        try conn.stream(
            "SELECT l.seq, l.dc, \(oldRow.unknown("l"))\(extra) FROM \(quoteIdentifier(t.logTable)) l WHERE \(Self.rangeCondition(ranges)) ORDER BY l.seq"
        ) {
            row in
            let seq = UInt64(row.string(0) ?? "") ?? 0
            while seq > ranges[ri].hi {
                closeRange(upTo: ranges[ri].hi)
                ri += 1
                expected = ranges[ri].lo
            }
            if seq > expected { closeRange(upTo: seq - 1) }
            expected = seq + 1
            scan.entries += 1
            if scan.logFrom == 0 { scan.logFrom = seq }
            scan.logTo = seq
            scan.rowDelta += Int64(row.string(1) ?? "0") ?? 0
            if row.string(2) == "1" { scan.oldHashUnknown = true }
            if gatherKeys { scan.keys?.add(key: row.bytes(3), oldHash: row.bytes(4).map { wrappingUInt64(digits: $0) } ?? 0) }
        }
        // Recorded holes past the last entry seen stay holes; the open range ends at the last entry.
        while ri < ranges.count - 1 {
            closeRange(upTo: ranges[ri].hi)
            ri += 1
            expected = ranges[ri].lo
        }
        return scan
    }

    /// Replaces the table's holes. A hole recorded by an earlier export is dropped once no
    /// transaction that started before it was seen is still open: its position was then
    /// rolled back (a commit would have made it visible to this snapshot, taken after).
    func saveHoles(_ t: CapturedTable, _ holes: [(lo: UInt64, hi: UInt64, seenAt: String)], openTransactions: OpenTransactions) throws {
        try conn.execute("DELETE FROM salesync_holes WHERE table_id = ?", [.int(Int64(t.id))])
        for h in holes {
            var settled = false
            if openTransactions != .unknown {
                let seenBeforeNow = try conn.query("SELECT ? < NOW(6) - INTERVAL 1 SECOND", [.text(h.seenAt)]).first?[0] == "1"
                if case .since(let oldest) = openTransactions {
                    settled = try conn.query("SELECT ? < ?", [.text(h.seenAt), .text(oldest)]).first?[0] == "1" && seenBeforeNow
                } else {
                    settled = seenBeforeNow
                }
            }
            if settled { continue }
            try conn.execute(
                "INSERT INTO salesync_holes (table_id, lo, hi, seen_at) VALUES (?, ?, ?, ?)",
                [.int(Int64(t.id)), .uint(h.lo), .uint(h.hi), .text(h.seenAt)])
        }
    }

    /// Deletes exported entries from the change logs without ever waiting on an open
    /// transaction: the positions to delete are read first (a plain read takes no locks), then
    /// each run lo...hi of consecutive positions goes as `BETWEEN lo AND hi-1` plus `= hi`. A range
    /// delete reads (and locks) the record after its end; ending the range one short makes that
    /// record `hi`, which is committed, instead of a neighbour an open transaction still holds.
    func pruneLogs() throws { try Self.pruneLogs(conn) }

    public static func pruneLogs(_ conn: MariaDBConnection, shouldStop: () -> Bool = { false }) throws {
        try conn.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
        defer { try? conn.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ") }
        for r in try conn.query("SELECT table_id, watermark FROM salesync_capture") {
            let id = r.int(0) ?? 0
            let log = quoteIdentifier(CapturedTable.logTable(Int(id)))
            let watermark = r.uint(1) ?? 0
            if try conn.query("SELECT 1 FROM salesync_holes WHERE table_id = ? LIMIT 1", [.int(id)]).isEmpty {
                try pruneWithoutHoles(conn, log, upTo: watermark, shouldStop: shouldStop)
                continue
            }
            while true {
                let seqs = try conn.query(
                    """
                    SELECT seq FROM \(log) l WHERE seq <= ? AND NOT EXISTS (
                      SELECT 1 FROM salesync_holes h WHERE h.table_id = ? AND l.seq BETWEEN h.lo AND h.hi)
                    ORDER BY seq LIMIT 20000
                    """, [.uint(watermark), .int(id)]
                ).compactMap { $0.uint(0) }
                if seqs.isEmpty { break }
                var i = 0
                while i < seqs.count {
                    var j = i
                    while j + 1 < seqs.count && seqs[j + 1] == seqs[j] + 1 { j += 1 }
                    if j > i {
                        try conn.execute("DELETE FROM \(log) WHERE seq BETWEEN ? AND ?", [.uint(seqs[i]), .uint(seqs[j] - 1)])
                    }
                    try conn.execute("DELETE FROM \(log) WHERE seq = ?", [.uint(seqs[j])])
                    i = j + 1
                }
                if seqs.count < 20000 { break }
            }
        }
    }

    /// With no holes, every position up to the watermark is committed or was rolled back, and the
    /// watermark's own entry exists: ranges ending before it, then the watermark alone, never
    /// reach a record an open transaction holds.
    private static func pruneWithoutHoles(
        _ conn: MariaDBConnection, _ log: String, upTo watermark: UInt64,
        shouldStop: () -> Bool
    ) throws {
        guard watermark > 0,
            var lo = try conn.query("SELECT MIN(seq) FROM \(log)").first?.uint(0), lo <= watermark
        else { return }
        while lo < watermark {
            if shouldStop() { return }  // what is left is deleted next time
            let hi = min(lo + 49_999, watermark - 1)
            try conn.execute("DELETE FROM \(log) WHERE seq BETWEEN ? AND ?", [.uint(lo), .uint(hi)])
            lo = hi + 1
        }
        try conn.execute("DELETE FROM \(log) WHERE seq = ?", [.uint(watermark)])
    }
}
