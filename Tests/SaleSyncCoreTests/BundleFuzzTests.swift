import Crypto
import Foundation
import SaleSyncTesting
import Testing
import Zlib

@testable import SaleSyncCore

/// Deterministic random mutations of seed bundles: bit flips, byte sets, truncations, inflated
/// lengths, swapped and duplicated sections, and re-signed tampering. Whatever the input, the
/// reader must answer with a BundleError or a clean decode whose counts match the header: never a
/// crash, a hang or an unbounded allocation. Iterations: $SALESYNC_FUZZ_ITERATIONS (default 20,000).
@Suite struct BundleFuzzTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func seeds() throws -> [[UInt8]] {
        var out = [try makeBundle(edgeRows, deletes: [row("9", "z")])]
        let small = TableSchema(
            name: "s",
            columns: [
                ColumnInfo(name: "id", type: "int", kind: .integer, nullable: false, key: 1),
                ColumnInfo(name: "d", type: "date", kind: .date, nullable: true),
                ColumnInfo(name: "t", type: "varchar(9)", kind: .bytes, nullable: true),
            ])
        var rows: [[[UInt8]?]] = []
        for i in 0..<300 {
            let day: String? = i % 7 == 0 ? nil : "2026-01-0\(i % 9 + 1)"
            let choices: [String?] = ["a", "b", nil]
            let text = choices[i % 3]
            rows.append([Array(String(i).utf8), day.map { Array($0.utf8) }, text.map { Array($0.utf8) }])
        }
        out.append(try makeBundle(rows, deletes: [row("1000")], schema: small))
        return out
    }

    @Test func mutatedBundlesNeverCrashOrDecodeWrongly() throws {
        let iterations = Int(ProcessInfo.processInfo.environment["SALESYNC_FUZZ_ITERATIONS"] ?? "") ?? 20_000
        var rng = SplitMix(state: UInt64(ProcessInfo.processInfo.environment["SALESYNC_FUZZ_SEED"] ?? "") ?? 42)
        let seeds = try Self.seeds()
        var refused = 0, accepted = 0
        for _ in 0..<iterations {
            var b = seeds[Int(rng.next() % UInt64(seeds.count))]
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let i = Int(rng.next() % UInt64(b.count))
                switch rng.next() % 6 {
                case 0: b[i] ^= UInt8(1 << (rng.next() % 8))
                case 1: b[i] = UInt8(truncatingIfNeeded: rng.next())
                case 2: b = Array(b[0..<i])
                case 3:  // inflate a length field: the header or body length
                    let at = rng.next() % 2 == 0 ? 10 : max(0, b.count - 200)
                    if at + 4 <= b.count { for k in 0..<4 { b[at + k] = 0xff } }
                case 4:  // swap two slices
                    let j = Int(rng.next() % UInt64(b.count)), n = Int(rng.next() % 64)
                    if i + n <= b.count && j + n <= b.count {
                        let x = Array(b[i..<i + n]); b.replaceSubrange(i..<i + n, with: b[j..<j + n]); b.replaceSubrange(j..<j + n, with: x)
                    }
                default:  // duplicate a slice
                    let n = Int(rng.next() % 64)
                    if i + n <= b.count { b.insert(contentsOf: b[i..<i + n], at: i) }
                }
                if b.isEmpty { break }
            }
            // The same oracle as the coverage-guided fuzzer's (harness/fuzz): traps on anything but
            // a BundleError or a decode consistent with the header.
            if BundleFuzzing.check(b, publicKey: testKey.publicKey) { accepted += 1 } else { refused += 1 }
        }
        #expect(refused + accepted == iterations)
        print("fuzz: \(iterations) executions, \(refused) refused, \(accepted) accepted (unchanged or equivalent), 0 crashes")
    }

    /// The libFuzzer target's seeds are real bundles in every input mode, and its entry point
    /// accepts each of them (so the fuzzer starts from inputs that reach the row decoder).
    @Test func fuzzerSeedsDecodeInEveryMode() throws {
        let seeds = try BundleFuzzing.seedInputs()
        #expect(Set(seeds.map { $0[0] }) == [0, 1, 2])
        for s in seeds where s[0] == 0 { #expect(BundleFuzzing.check(Array(s.dropFirst()))) }
        var rng = SplitMix(state: 3)
        for _ in 0..<3_000 {
            var s = seeds[Int(rng.next() % UInt64(seeds.count))]
            let i = 1 + Int(rng.next() % UInt64(s.count - 1))
            s[i] = UInt8(truncatingIfNeeded: rng.next())
            BundleFuzzing.testOneInput(s)
        }
    }

    /// Re-signed tampering: the signature is valid, so only the decoder's own checks stand.
    @Test func reSignedMutationsOfTheBodyAreRefusedOrConsistent() throws {
        var rng = SplitMix(state: 7)
        let seed = try BundleFile(bytes: try Self.seeds()[1])
        let body = Array(seed.data[seed.bodyRange])
        for _ in 0..<2_000 {
            var inflated = try Zlib.Inflater.inflate(body, expectedSize: seed.header.bodyBytes)
            let i = Int(rng.next() % UInt64(inflated.count))
            inflated[i] = UInt8(truncatingIfNeeded: rng.next())
            var compressed: [UInt8] = []
            let d = try Zlib.Deflater(level: 6)
            try inflated.withUnsafeBytes { try d.finish($0, into: &compressed) }
            d.close()
            var h = seed.header
            h.bodyBytes = inflated.count
            let forged = try signedBundle(header: h, body: compressed)
            do {
                let f = try BundleFile(bytes: forged)
                try f.verifySignature(testKey.publicKey)
                let t = try f.decodeBody()
                #expect(t[0].upserts.count == h.tables[0].upserts)
            } catch is BundleError {}
        }
    }

}
