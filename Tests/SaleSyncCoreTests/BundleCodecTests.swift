import Crypto
import Foundation
import Testing

@testable import SaleSyncCore

/// A table covering every value kind the codec maps, including NULLs and edge values.
let allTypes = TableSchema(
    name: "all_types",
    columns: [
        ColumnInfo(name: "id", type: "bigint(20) unsigned", kind: .integer, nullable: false, unsigned: true, key: 1),
        ColumnInfo(name: "k2", type: "varchar(10)", kind: .bytes, nullable: false, key: 2, charset: "utf8mb4", collation: "utf8mb4_bin"),
        ColumnInfo(name: "i8", type: "tinyint(4)", kind: .integer, nullable: true),
        ColumnInfo(name: "i64", type: "bigint(20)", kind: .integer, nullable: true),
        ColumnInfo(name: "d", type: "decimal(12,2)", kind: .decimal, nullable: true, scale: 2),
        ColumnInfo(name: "dbig", type: "decimal(30,10)", kind: .decimal, nullable: true, scale: 10),
        ColumnInfo(name: "f", type: "double", kind: .bytes, nullable: true),
        ColumnInfo(name: "day", type: "date", kind: .date, nullable: true),
        ColumnInfo(name: "ts", type: "datetime(6)", kind: .datetime, nullable: true, scale: 6),
        ColumnInfo(name: "t0", type: "datetime", kind: .datetime, nullable: true),
        ColumnInfo(name: "txt", type: "text", kind: .bytes, nullable: true, charset: "utf8mb4", collation: "utf8mb4_bin"),
        ColumnInfo(name: "blob", type: "blob", kind: .bytes, nullable: true),
    ])

let edgeRows: [[[UInt8]?]] = [
    row(
        "18446744073709551615", "a", "-128", "-9223372036854775808", "-9999999999.99", "12345678901234567890.0123456789",
        "1.7976931348623157e308", "1000-01-01", "1970-01-01 00:00:00.000001", "9999-12-31 23:59:59", "😀 naïve", nil),
    row(
        "0", "b", "127", "9223372036854775807", "0.00", "-0.0000000001", "-0", "9999-12-31", "2038-01-19 03:14:07.999999",
        "0000-00-00 00:00:00", "", [0, 9, 10, 92, 255, 0]),
    row("1", "", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil),
    row(
        "2", "tab\there", "0", "0", "-0.50", "0.0000000000", "3.14", "2024-02-29", "1969-12-31 23:59:59.500000",
        "2000-01-01 00:00:00", "line\nbreak \\ 'quote'", Array("NULL".utf8)),
    row(
        "3", "x", "5", "-1", "000.10", "1", "nan", "2021-02-30", "2021-13-01 00:00:00.000000", "2021-01-01 24:00:00",
        "\u{0}", []),
]

/// Builds a row from strings, byte arrays and nils (nested optionals, as array literals in an
/// `Any?` context produce, are looked through).
func row(_ v: Any?...) -> [[UInt8]?] {
    func unwrap(_ x: Any?) -> Any? {
        guard let x else { return nil }
        let m = Mirror(reflecting: x)
        if m.displayStyle == .optional { return m.children.first.flatMap { unwrap($0.value) } }
        return x
    }
    return v.map { x -> [UInt8]? in
        switch unwrap(x) {
        case let s as String: return Array(s.utf8)
        case let b as [UInt8]: return b
        default: return nil
        }
    }
}

func section(_ schema: TableSchema) -> TableSection {
    TableSection(
        name: schema.name, fingerprint: schema.fingerprint, columns: schema.columns, logFrom: 1, logTo: 9,
        upserts: 0, deletes: 0, state: StateChecksum(rows: 5, hash: 0xdead_beef))
}

nonisolated(unsafe) let testKey = Curve25519.Signing.PrivateKey()

func makeBundle(
    _ rows: [[[UInt8]?]], deletes: [[[UInt8]?]] = [], schema: TableSchema = allTypes,
    key: Curve25519.Signing.PrivateKey = testKey, sequence: UInt64 = 7
) throws -> [UInt8] {
    var up = RowBatch(columnCount: schema.columns.count)
    rows.forEach { up.append($0) }
    var del = RowBatch(columnCount: schema.keyIndexes.count)
    deletes.forEach { del.append($0) }
    return try BundleFormat.encode(
        branch: "bo1", sequence: sequence, kind: .changes, created: "2026-11-25T12:00:00.000000Z",
        tables: [TableChanges(section: section(schema), upserts: up, deletes: del)], key: key)
}

/// Assembles and signs (with `testKey`) a bundle from a header and a compressed body exactly as
/// the format says, without the encoder's consistency: how a hostile but key-holding sender would.
func signedBundle(header: BundleHeader, body: [UInt8], version: UInt16 = BundleFormat.version) throws -> [UInt8] {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let h = Array(try enc.encode(header))
    var w = ByteWriter()
    w.bytes += BundleFormat.magic
    w.u16(version)
    w.u32(UInt32(h.count))
    w.bytes += h
    w.u64(UInt64(body.count))
    w.bytes += body
    let digest = Array(SHA256.hash(data: w.bytes))
    w.bytes += digest
    w.bytes += try testKey.signature(for: Array("salesync-bundle-v\(version)".utf8) + digest)
    return w.bytes
}

@Suite struct BundleCodecTests {
    @Test func roundTripEveryTypeAndEdgeValue() throws {
        let deletes = [row("42", "gone"), row("18446744073709551615", "😀")]
        let bytes = try makeBundle(edgeRows, deletes: deletes)
        let file = try BundleFile(bytes: bytes)
        try file.verifySignature(testKey.publicKey)
        let tables = try file.decodeBody()
        #expect(tables.count == 1)
        #expect(file.header.tables[0].upserts == edgeRows.count)
        #expect(file.header.tables[0].deletes == 2)
        for (i, expected) in edgeRows.enumerated() { #expect(tables[0].upserts.row(i) == expected, "row \(i)") }
        for (i, expected) in deletes.enumerated() { #expect(tables[0].deletes.row(i) == expected, "delete \(i)") }
        #expect(file.header.tables[0].state == StateChecksum(rows: 5, hash: 0xdead_beef))
    }

    @Test func sameInputGivesSameBytes() throws {
        #expect(try makeBundle(edgeRows) == makeBundle(edgeRows))
    }

    /// The downlink's template reseal writes exactly what encoding the header anew writes, for
    /// any addressee and sequence (the splice must not depend on where JSON puts the fields).
    @Test(arguments: [("bo2", UInt64(1)), ("Branch_17-x", UInt64(1234567)), ("b", UInt64.max)])
    func templateResealEqualsAFreshHeader(branch: String, sequence: UInt64) throws {
        let file = try BundleFile(bytes: try makeBundle(edgeRows))
        let spliced = try Resealer(file).bundle(for: branch, sequence: sequence, key: testKey)
        #expect(spliced.bytes == (try BundleFormat.reseal(file, branch: branch, sequence: sequence, key: testKey)))
        let back = try BundleFile(bytes: spliced.bytes)
        try back.verifySignature(testKey.publicKey)
        #expect(back.header.branch == branch && back.header.sequence == sequence)
        #expect(back.header == spliced.header)
    }

    @Test func repetitiveRowsCompressWell() throws {
        // Ids counting up, few distinct strings, small integers: the shape of most sales tables.
        let schema = TableSchema(
            name: "s",
            columns: [
                ColumnInfo(name: "id", type: "int", kind: .integer, nullable: false, key: 1),
                ColumnInfo(name: "day", type: "date", kind: .date, nullable: false),
                ColumnInfo(name: "region", type: "varchar(8)", kind: .bytes, nullable: false),
                ColumnInfo(name: "qty", type: "int", kind: .integer, nullable: false),
            ])
        var rng = SystemRandomNumberGenerator()
        let regions = ["North", "South", "East", "West"]
        var rows: [[[UInt8]?]] = []
        for i in 0..<20_000 {
            let region: String = regions[Int.random(in: 0..<4, using: &rng)]
            let qty = String(Int.random(in: 1...100, using: &rng))
            rows.append(row(String(i + 1), "2024-01-\(10 + i / 1000)", region, qty))
        }
        let bytes = try makeBundle(rows, schema: schema)
        let perRow = Double(bytes.count) / Double(rows.count)
        #expect(perRow < 2.0, "bytes per row \(perRow)")
        let back = try BundleFile(bytes: bytes).decodeBody()[0].upserts
        #expect(back.row(12_345) == rows[12_345])
    }

    @Test func unsignedAndNegativeExtremesUseIntegerEncoding() throws {
        let schema = TableSchema(
            name: "n",
            columns: [
                ColumnInfo(name: "u", type: "bigint unsigned", kind: .integer, nullable: false, unsigned: true, key: 1),
                ColumnInfo(name: "s", type: "bigint", kind: .integer, nullable: true),
            ])
        let rows = [row("0", "-9223372036854775808"), row("18446744073709551615", nil), row("9223372036854775808", "9223372036854775807")]
        let back = try BundleFile(bytes: try makeBundle(rows, schema: schema)).decodeBody()[0].upserts
        for i in rows.indices { #expect(back.row(i) == rows[i]) }
    }
}

@Suite struct ValueMappingTests {
    func roundTrip(_ column: ColumnInfo, _ text: String) -> String? {
        let m = ValueMapping(column)
        var bytes = Array(text.utf8)
        guard let v = bytes.withUnsafeMutableBytes({ m.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        var out: [UInt8] = []
        m.format(v, into: &out)
        bytes = out
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func decimalsAreExact() {
        let d = ColumnInfo(name: "d", type: "decimal(12,2)", kind: .decimal, nullable: false, scale: 2)
        for s in ["0.00", "12.95", "-0.01", "9999999999.99", "-9999999999.99"] { #expect(roundTrip(d, s) == s) }
        for s in ["-0.00", "1.5", "01.00", "1e3", ""] { #expect(roundTrip(d, s) == nil, "\(s) must not map") }
    }

    @Test func datesAndTimes() {
        let d = ColumnInfo(name: "d", type: "date", kind: .date, nullable: false)
        for s in ["1970-01-01", "0001-01-01", "2024-02-29", "9999-12-31", "1969-12-31"] { #expect(roundTrip(d, s) == s) }
        #expect(roundTrip(d, "0000-00-00") == nil)
        let t = ColumnInfo(name: "t", type: "datetime(3)", kind: .datetime, nullable: false, scale: 3)
        for s in ["1970-01-01 00:00:00.000", "1969-12-31 23:59:59.999", "2026-11-25 12:34:56.789"] { #expect(roundTrip(t, s) == s) }
    }
}
