import Crypto
import Foundation
import Testing

@testable import SaleSyncCore

/// Bundle format v2: column by column, repeated combinations grouped, and v1 still read.
@Suite struct ColumnarCodecTests {
    /// Sales whose product, price and quantity repeat together, with NULLs in a grouped column
    /// and a raw text column: the shape grouping is for.
    static let schema = TableSchema(
        name: "s",
        columns: [
            ColumnInfo(name: "id", type: "bigint", kind: .integer, nullable: false, key: 1),
            ColumnInfo(name: "day", type: "date", kind: .date, nullable: false),
            ColumnInfo(name: "product", type: "varchar(20)", kind: .bytes, nullable: false),
            ColumnInfo(name: "price", type: "decimal(8,2)", kind: .decimal, nullable: true, scale: 2),
            ColumnInfo(name: "qty", type: "int", kind: .integer, nullable: false),
            ColumnInfo(name: "amount", type: "decimal(10,2)", kind: .decimal, nullable: false, scale: 2),
            ColumnInfo(name: "note", type: "text", kind: .bytes, nullable: true),
        ])

    static func rows(_ n: Int) -> [[[UInt8]?]] {
        var rng = BundleFuzzTests.SplitMix(state: 11)
        let products = ["Paper", "Pens", "Toner", "Café Mug", "Lamp"]
        return (0..<n).map { i in
            let p = Int(rng.next() % 5)
            let q = 1 + Int(rng.next() % 12)
            let price = p == 4 ? nil : String(format: "%.2f", Double(p + 1) * 1.25)
            let amount = String(format: "%.2f", Double(q) * Double(p + 1) * 1.25)
            let note = rng.next() % 3 == 0 ? nil : "note \(rng.next() % 100_000) ✓"
            let day = String(format: "2026-%02d-%02d", 1 + i / 100 / 28, 1 + i / 100 % 28)
            return row(String(i + 1), day, products[p], price, String(q), amount, note)
        }
    }

    static func bundle(_ rows: [[[UInt8]?]], version: UInt16) throws -> [UInt8] {
        var up = RowBatch(columnCount: schema.columns.count)
        rows.forEach { up.append($0) }
        var del = RowBatch(columnCount: 1)
        del.append(strings: ["999999"])
        return try BundleFormat.encode(
            branch: "bo1", sequence: 1, kind: .changes, created: "x",
            tables: [TableChanges(section: section(schema), upserts: up, deletes: del)],
            key: testKey, version: version)
    }

    @Test func groupedRowsRoundTripAndBeatVersion1() throws {
        let rows = Self.rows(5_000)
        let v2 = try Self.bundle(rows, version: 2)
        let v1 = try Self.bundle(rows, version: 1)
        let plans = Self.schema.columns.indices.map { c -> BlockCodec.ColumnPlan in
            var col = ColumnValues()
            rows.forEach { col.append($0[c]) }
            return BlockCodec.plan(col, Self.schema.columns[c], rows: rows.count)
        }
        var batch = RowBatch(columnCount: Self.schema.columns.count)
        rows.forEach { batch.append($0) }
        let group = try #require(ColumnGroup.find(batch, plans: plans, rows: rows.count))
        // product, price (with its NULLs), qty and amount repeat together; id, day and note do not.
        #expect(group.columns == [2, 3, 4, 5])
        #expect(group.count <= 60)
        let file = try BundleFile(bytes: v2)
        #expect(file.version == 2)
        try file.verifySignature(testKey.publicKey)
        let back = try file.decodeBody()[0]
        for i in rows.indices { #expect(back.upserts.row(i) == rows[i], "row \(i)") }
        #expect(back.deletes.strings(0) == ["999999"])
        #expect(v2.count < v1.count, "v2 \(v2.count) bytes, v1 \(v1.count)")
    }

    @Test func version1BundlesAreStillRead() throws {
        let rows = Self.rows(300) + edgeLikeRows()
        let file = try BundleFile(bytes: try Self.bundle(rows, version: 1))
        #expect(file.version == 1)
        try file.verifySignature(testKey.publicKey)
        let back = try file.decodeBody()[0].upserts
        for i in rows.indices { #expect(back.row(i) == rows[i], "row \(i)") }
    }

    @Test func signatureIsBoundToTheVersion() throws {
        var b = try Self.bundle(Self.rows(100), version: 2)
        b[8] = 1  // claims v1 with v2's body: checksum fails first; re-signing as v1 is the only way in
        #expect(throws: BundleError.self) { try BundleFile(bytes: b) }
        let f = try BundleFile(bytes: try Self.bundle(Self.rows(100), version: 2))
        let asV1 = try signedBundle(header: f.header, body: Array(f.data[f.bodyRange]), version: 1)
        let forged = try BundleFile(bytes: asV1)
        #expect(throws: BundleError.self) { _ = try forged.decodeBody() }
    }

    @Test func smallBlocksAndAllNullColumnsRoundTrip() throws {
        for n in [0, 1, 2, 63, 64, 65, 200] {
            let rows = (0..<n).map { i in row(String(i), "2026-01-01", "P", nil, "1", "1.00", nil) }
            let back = try BundleFile(bytes: try Self.bundle(rows, version: 2)).decodeBody()[0].upserts
            #expect(back.count == n)
            for i in rows.indices { #expect(back.row(i) == rows[i], "n \(n) row \(i)") }
        }
    }

    /// A date with fewer distinct values than the quantity must not take the quantity's place:
    /// its long runs cost nothing on their own.
    @Test func columnsOfLongRunsStayOutOfTheGroup() throws {
        let rows = Self.rows(5_000).enumerated().map { i, r -> [[UInt8]?] in
            var r = r
            r[1] = Array(String(format: "2026-01-%02d", 1 + i / 455).utf8)  // 11 days, sorted: fewer values than qty
            return r
        }
        var batch = RowBatch(columnCount: Self.schema.columns.count)
        rows.forEach { batch.append($0) }
        let plans = Self.schema.columns.indices.map { BlockCodec.plan(batch.columns[$0], Self.schema.columns[$0], rows: rows.count) }
        let group = try #require(ColumnGroup.find(batch, plans: plans, rows: rows.count))
        #expect(group.columns == [2, 3, 4, 5])
    }

    /// A shop's till: 1,200 (product, price, quantity, amount) tuples that recur far apart, more
    /// of them than an eighth of the rows. The loose budget groups them all, and the block still
    /// reads back row for row.
    @Test func tuplesMoreThanAnEighthOfTheRowsAreGrouped() throws {
        var rng = BundleFuzzTests.SplitMix(state: 5)
        let tuples = (0..<1_200).map { _ -> (String, String, String, String) in
            let p = Int(rng.next() % 300)
            let price = Double(100 + p * 7 + Int(rng.next() % 4) * 25) / 100
            let q = 1 + Int(rng.next() % 10)
            return ("item \(p)", String(format: "%.2f", price), String(q), String(format: "%.2f", price * Double(q)))
        }
        let rows = (0..<5_000).map { i -> [[UInt8]?] in
            let t = tuples[Int(rng.next() % 1_200) * Int(rng.next() % 1_200) / 1_200]  // skewed: some sell far more
            return row(String(i + 1), "2026-03-01", t.0, t.1, t.2, t.3, "n\(rng.next() % 1_000_000)")
        }
        var batch = RowBatch(columnCount: Self.schema.columns.count)
        rows.forEach { batch.append($0) }
        let plans = Self.schema.columns.indices.map { BlockCodec.plan(batch.columns[$0], Self.schema.columns[$0], rows: rows.count) }
        let group = try #require(ColumnGroup.find(batch, plans: plans, rows: rows.count))
        #expect(group.columns == [2, 3, 4, 5])
        #expect(group.count > rows.count / 8 && group.count <= 1_200)
        for (code, r) in group.representatives.enumerated() { #expect(group.codes[r] == Int32(code)) }
        let back = try BundleFile(bytes: try Self.bundle(rows, version: 2)).decodeBody()[0].upserts
        for i in rows.indices { #expect(back.row(i) == rows[i], "row \(i)") }
    }

    func edgeLikeRows() -> [[[UInt8]?]] {
        [
            row("-9223372036854775808", "1000-01-01", "", "-999999.99", "-2147483648", "0.00", ""),
            row("9223372036854775807", "9999-12-31", "😀", nil, "2147483647", "-0.01", nil),
        ]
    }
}
