import Crypto
import Foundation
import Testing

@testable import SaleSyncCore

@Suite struct BundleCorruptionTests {
    let good: [UInt8]
    init() throws { good = try makeBundle(edgeRows, deletes: [row("9", "z")]) }

    /// Every way of damaging a bundle must end in a BundleError, never a crash or a wrong decode.
    func refused(_ bytes: [UInt8], key: Curve25519.Signing.PublicKey = testKey.publicKey) -> BundleError? {
        do {
            let f = try BundleFile(bytes: bytes)
            try f.verifySignature(key)
            _ = try f.decodeBody()
            return nil
        } catch let e as BundleError {
            return e
        } catch {
            Issue.record("unexpected error type \(error)")
            return nil
        }
    }

    @Test func truncatedAnywhere() {
        for n in stride(from: 0, to: good.count, by: max(1, good.count / 97)) {
            #expect(refused(Array(good[0..<n])) != nil, "truncated to \(n) bytes")
        }
    }

    @Test func everyFlippedBitIsCaught() {
        for i in stride(from: 0, to: good.count, by: 3) {
            var b = good
            b[i] ^= 1 << UInt8(i % 8)
            #expect(refused(b) != nil, "bit flipped at \(i)")
        }
    }

    @Test func wrongKeyIsRefused() {
        #expect(refused(good, key: Curve25519.Signing.PrivateKey().publicKey) == .badSignature(branch: "bo1"))
    }

    @Test func unknownVersionIsRefused() {
        var b = good
        b[8] = 3
        #expect(refused(b) == .unsupportedVersion(3))
    }

    @Test func badMagic() {
        var b = good
        b[0] = 0x58
        #expect(refused(b) == .badMagic)
    }

    @Test func trailingGarbage() {
        #expect(refused(good + [1, 2, 3]) != nil)
    }

    @Test func compressionBombIsRefusedBeforeInflating() throws {
        // A body that inflates to far more than the header may declare.
        let schema = TableSchema(
            name: "bomb",
            columns: [
                ColumnInfo(name: "id", type: "int", kind: .integer, nullable: false, key: 1),
                ColumnInfo(name: "b", type: "blob", kind: .bytes, nullable: false),
            ])
        let big = [UInt8](repeating: 0, count: 4 << 20)
        let bytes = try makeBundle([row("1", big)], schema: schema)
        #expect(throws: BundleError.self) { try BundleFile(bytes: bytes, maxBodyBytes: 1 << 20) }
    }

    /// A re-signed bundle with a body lying about its row counts is still refused by the decoder.
    @Test func liedRowCountsAreRefusedEvenWhenSigned() throws {
        let schema = TableSchema(name: "s", columns: [ColumnInfo(name: "id", type: "int", kind: .integer, nullable: false, key: 1)])
        var up = RowBatch(columnCount: 1)
        up.append(strings: ["1"])
        var section = section(schema)
        section.upserts = 1
        var header = BundleHeader(branch: "bo1", sequence: 1, kind: .changes, created: "x", bodyBytes: 0, tables: [section])
        // Encode honestly, then rewrite the header to claim more rows and sign again.
        let honest = try BundleFile(
            bytes: try BundleFormat.encode(
                branch: "bo1", sequence: 1, kind: .changes, created: "x",
                tables: [TableChanges(section: section, upserts: up, deletes: RowBatch(columnCount: 1))], key: testKey))
        header = honest.header
        header.tables[0].upserts = 1000
        let forged = try reSign(honest, header: header)
        #expect(refused(forged) != nil)
    }

    func reSign(_ f: BundleFile, header: BundleHeader) throws -> [UInt8] {
        try signedBundle(header: header, body: Array(f.data[f.bodyRange]))
    }
}
