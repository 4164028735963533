/// Why a bundle file was refused. Every case names what was wrong; the CLI adds the file name.
public enum BundleError: Error, CustomStringConvertible, Sendable, Equatable {
    case truncated(String)
    case badMagic
    case unsupportedVersion(UInt16)
    case malformed(String)
    case checksumMismatch(expected: String, actual: String)
    case badSignature(branch: String)
    case unknownBranch(String)
    case tooLarge(String)

    public var description: String {
        switch self {
        case .truncated(let what): return "truncated: \(what)"
        case .badMagic: return "not a salesync bundle (bad magic; expected \"SALESYNC\")"
        case .unsupportedVersion(let v):
            return
                "unsupported format version \(v) (this salesync reads versions \(BundleFormat.readableVersions.lowerBound)–\(BundleFormat.readableVersions.upperBound))"
        case .malformed(let what): return "malformed: \(what)"
        case .checksumMismatch(let e, let a): return "SHA-256 mismatch: file says \(e), content hashes to \(a)"
        case .badSignature(let b): return "signature is not valid for branch \(b)'s public key"
        case .unknownBranch(let b): return "unknown branch \"\(b)\" (not in [branches] of the head office's config)"
        case .tooLarge(let what): return "refused, too large: \(what)"
        }
    }
}
