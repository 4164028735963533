import Foundation
import MariaDB
import SaleSyncTesting
import Testing

@testable import SaleSyncCore

/// The decisions of `[capture] mode = "binlog"` that need no server: what the server must be,
/// which entries a transaction gives, and positions' order.
@Suite struct BinlogCaptureUnitTests {
    @Test func serverSettingsAreCheckedOneByOne() {
        let good = ["log_bin": "1", "binlog_format": "ROW", "binlog_row_image": "FULL", "binlog_row_metadata": "FULL", "sync_binlog": "1"]
        #expect(BinlogFeed.problems(good).isEmpty)
        var bad = good
        bad["sync_binlog"] = "0"
        bad["binlog_row_metadata"] = "MINIMAL"
        let problems = BinlogFeed.problems(bad)
        #expect(problems.count == 2)
        #expect(problems.contains { $0.hasPrefix("sync_binlog is 0, expected 1") && $0.contains("power cut") })
        #expect(problems.contains { $0.hasPrefix("binlog_row_metadata is MINIMAL, expected FULL") })
        #expect(BinlogFeed.problems(["binlog_format": "row"]).count == 4, "case does not matter; missing ones count")
    }

    @Test func anUpdateOfTheKeyIsADeleteAndAnInsert() throws {
        var t = BinlogTransaction()
        t.add(BinlogRows(database: "d", table: "t", kind: .insert, images: [[.int(1)], [.int(2)]]), table: 7)
        t.add(BinlogRows(database: "d", table: "t", kind: .update, images: [[.int(1)], [.int(1)], [.int(2)], [.int(9)]]), table: 7)
        t.add(BinlogRows(database: "d", table: "t", kind: .delete, images: [[.int(9)]]), table: 7)
        var taken: [String] = []
        try t.end { taken.append("\($0.table):\($0.key):\($0.dc)") }
        #expect(
            taken
                == ["7:[.int(1)]:1", "7:[.int(2)]:1", "7:[.int(1)]:0", "7:[.int(2)]:-1", "7:[.int(9)]:1", "7:[.int(9)]:-1"].map {
                    $0.replacingOccurrences(of: "[.int(", with: "[MariaDB.SQLValue.int(")
                })
        #expect(!t.open && t.entries.isEmpty, "ended: starts afresh")
    }

    @Test func aQuietTransactionGivesNothing() throws {
        var t = BinlogTransaction()
        t.quiet = true
        t.add(BinlogRows(database: "d", table: "t", kind: .insert, images: [[.int(1)]]), table: 1)
        var taken = 0
        try t.end { _ in taken += 1 }
        #expect(taken == 0)
        t.add(BinlogRows(database: "d", table: "t", kind: .insert, images: [[.int(1)]]), table: 1)
        try t.end { _ in taken += 1 }
        #expect(taken == 1, "the next transaction is not quiet")
    }

    /// After the position a database holds, the log may show salesync recording that same position
    /// (its own save, a rejoin's quiet bump) but never a later one, unless the database went back.
    @Test func aLaterRecordedPositionMeansTheDatabaseWentBack() throws {
        let from = BinlogPosition(file: "binlog.000003", offset: 500)
        func update(_ before: UInt64, _ after: UInt64, file: String = "binlog.000003") -> BinlogRows {
            BinlogRows(
                database: "d", table: "salesync_binlog", kind: .update,
                images: [[.bytes(Array(file.utf8)), .uint(before)], [.bytes(Array(file.utf8)), .uint(after)]])
        }
        try BinlogFeed.refuseRewound(update(300, 500), from: from)
        try BinlogFeed.refuseRewound(update(500, 500), from: from)
        #expect(throws: BinlogFeed.Rewound.self) { try BinlogFeed.refuseRewound(update(500, 900), from: from) }
        #expect(throws: BinlogFeed.Rewound.self) { try BinlogFeed.refuseRewound(update(9, 4, file: "binlog.000004"), from: from) }
        let restored = BinlogRows(
            database: "d", table: "salesync_binlog", kind: .insert, images: [[.bytes(Array("binlog.000003".utf8)), .uint(500)]])
        try BinlogFeed.refuseRewound(restored, from: from)
    }

    @Test func positionsOrderByFileNumberThenOffset() {
        let a = BinlogPosition(file: "binlog.000009", offset: 900)
        let b = BinlogPosition(file: "binlog.000010", offset: 4)
        let c = BinlogPosition(file: "binlog.1000000", offset: 4)
        #expect(a < b && b < c)
        #expect(BinlogPosition(file: "binlog.000010", offset: 5) > b)
        #expect(max(a, b) == b)
    }

    @Test func theModeIsReadStrictly() throws {
        func load(_ role: String, _ capture: String) throws -> Config {
            try ConfigFixture.load(role: role, top: "key_file = \"/k\"", sections: "[capture]\n\(capture)")
        }
        #expect(try load("branch", "mode = \"binlog\"").captureMode == .binlog)
        #expect(try load("branch", "mode = \"compare\"").captureMode == .compare)
        #expect(try load("branch", "").captureMode == .triggers)
        #expect(throws: SyncError.self) { try load("branch", "mode = \"log\"") }
        #expect(throws: SyncError.self) { try load("branch", "modes = \"binlog\"") }
        #expect(throws: SyncError.self) { try load("head-office", "mode = \"binlog\"") }
        #expect(throws: SyncError.self) { try load("head-office", "mode = \"compare\"") }
        #expect(CaptureMode.allCases.filter(\.usesTriggers) == [.triggers])
    }
}
