import Foundation

/// The head office's answer about one bundle, sent back to the branch (broker or ack file).
public struct Ack: Codable, Sendable, Equatable {
    public var status: AckStatus
    public var branch: String
    public var sequence: UInt64
    public var sha256: String
    public var rows: Int
    /// The state-checksum verdict after this bundle.
    public var verdict: Verdict
    public var detail: String
    /// Per table, its verdict (downlink acknowledgements; absent from older ones).
    public var tables: [String: Verdict]?

    public init(
        status: AckStatus, branch: String, sequence: UInt64, sha256: String, rows: Int, verdict: Verdict, detail: String,
        tables: [String: Verdict]? = nil
    ) {
        self.status = status
        self.branch = branch
        self.sequence = sequence
        self.sha256 = sha256
        self.rows = rows
        self.verdict = verdict
        self.detail = detail
        self.tables = tables
    }

    public func encoded() -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return Array((try? e.encode(self)) ?? Data())
    }

    public static func decode(_ bytes: [UInt8]) throws -> Ack {
        do { return try JSONDecoder().decode(Ack.self, from: Data(bytes)) } catch {
            throw BundleError.malformed("acknowledgement is not valid JSON: \(error)")
        }
    }

    /// File name for an ack file on a USB stick.
    public var fileName: String { "\(branch.lowercased())-\(String(sequence).leftPadded(to: 12))-\(status.rawValue).ack.json" }
}
