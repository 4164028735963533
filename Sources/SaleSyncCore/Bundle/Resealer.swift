import Crypto
import Foundation

/// One bundle's compressed body sealed again under many branches' headers (the downlink's
/// "encode once for every branch").
///
/// Why a template: a header differs from branch to branch only in its addressee and sequence,
/// and encoding its JSON anew for each of 200 branches cost more than the rest of the reseal.
/// The header is encoded once with placeholders and the two values are spliced in; site ids are
/// `[A-Za-z0-9_-]`, which JSON writes as they are.
struct Resealer {
    let file: BundleFile
    private let before: [UInt8]
    private let between: [UInt8]
    private let after: [UInt8]
    private let branchFirst: Bool
    let body: ArraySlice<UInt8>

    static let branchMark = "zzSALESYNCbranchzz"
    static let sequenceMark: UInt64 = 9_876_543_210_123_456_789

    init(_ file: BundleFile) throws {
        self.file = file
        var h = file.header
        h.branch = Self.branchMark
        h.sequence = Self.sequenceMark
        let json = try BundleFormat.encodeHeader(h)
        let b = Array("\"\(Self.branchMark)\"".utf8)
        let s = Array(String(Self.sequenceMark).utf8)
        guard let bi = json.firstRange(of: b), let si = json.firstRange(of: s) else {
            throw BundleError.malformed("bundle header template lacks its placeholders")
        }
        branchFirst = bi.lowerBound < si.lowerBound
        let (first, second) = branchFirst ? (bi, si) : (si, bi)
        before = Array(json[..<first.lowerBound])
        between = Array(json[first.upperBound..<second.lowerBound])
        after = Array(json[second.upperBound...])
        body = file.data[file.bodyRange]
    }

    /// The bundle as branch `branch`'s number `sequence`, and its header.
    func bundle(for branch: String, sequence: UInt64, key: Curve25519.Signing.PrivateKey) throws -> (bytes: [UInt8], header: BundleHeader) {
        let f = try frame(for: branch, sequence: sequence, key: key)
        return (f.prefix + body + f.suffix, f.header)
    }

    /// The same as what goes before and after the shared body (`BundleFormat.sealParts`).
    func frame(
        for branch: String, sequence: UInt64, key: Curve25519.Signing.PrivateKey
    ) throws -> (prefix: [UInt8], suffix: [UInt8], header: BundleHeader) {
        let b = Array("\"\(branch)\"".utf8)
        let s = Array(String(sequence).utf8)
        let json = before + (branchFirst ? b : s) + between + (branchFirst ? s : b) + after
        var header = file.header
        header.branch = branch
        header.sequence = sequence
        let (prefix, suffix) = try BundleFormat.sealParts(header: json, body: body, key: key, version: file.version)
        return (prefix, suffix, header)
    }
}
