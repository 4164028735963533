import Foundation
import Testing

@testable import SaleSyncCore

@Suite struct RowHashTests {
    /// A known answer from MariaDB 10.11: `CAST(CONV(LEFT(MD5(CONCAT_WS(',', QUOTE(id), QUOTE(d),
    /// QUOTE(s), QUOTE(n), QUOTE(UNIX_TIMESTAMP(ts)), QUOTE(b))), 16), 16, 10) AS UNSIGNED)` of the
    /// row below gave 3555232988044546346 (escapes, NULL, a TIMESTAMP(3) and a BLOB).
    @Test func rowHashMatchesTheServersSQL() throws {
        let schema = TableSchema(
            name: "kat",
            columns: [
                ColumnInfo(name: "id", type: "int(11)", kind: .integer, nullable: true),
                ColumnInfo(name: "d", type: "date", kind: .date, nullable: true),
                ColumnInfo(
                    name: "s", type: "varchar(20)", kind: .bytes, nullable: true, charset: "utf8mb4", collation: "utf8mb4_general_ci"),
                ColumnInfo(name: "n", type: "int(11)", kind: .integer, nullable: true),
                ColumnInfo(name: "ts", type: "timestamp(3)", kind: .datetime, nullable: true, scale: 3),
                ColumnInfo(name: "b", type: "blob", kind: .bytes, nullable: true),
            ])
        var batch = RowBatch(columnCount: 6)
        batch.append([
            Array("1".utf8), Array("2021-04-29".utf8), Array("a'b\\c".utf8) + [26, 0], nil,
            Array("2038-01-19 03:14:07.999".utf8), [0, 255],
        ])
        let hasher = try #require(RowHasher(schema))
        #expect(hasher.hash(batch, 0) == 3_555_232_988_044_546_346)
        #expect(hasher.sum(batch) == 3_555_232_988_044_546_346)
    }

    /// Types whose hash text only the server can produce are left to the server.
    @Test func latin1AndBitAreLeftToTheServer() {
        let latin1 = TableSchema(
            name: "t",
            columns: [
                ColumnInfo(name: "s", type: "varchar(5)", kind: .bytes, nullable: false, charset: "latin1", collation: "latin1_swedish_ci")
            ])
        let bit = TableSchema(name: "t", columns: [ColumnInfo(name: "f", type: "bit(5)", kind: .bytes, nullable: false)])
        #expect(RowHasher(latin1) == nil)
        #expect(RowHasher(bit) == nil)
    }
}
