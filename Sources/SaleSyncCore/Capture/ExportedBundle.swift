import Crypto
import Foundation
import Logging
import MariaDB

/// One bundle written by an export.
public struct ExportedBundle: Sendable {
    public let sequence: UInt64
    public let file: String
    public let rows: Int
    public let bytes: Int
    public let sha256: String
}
