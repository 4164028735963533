import Foundation
import TOMLKit

/// `[export]`: how bundles are cut.
public struct ExportConfig: Sendable {
    public var maxRows = 100_000
    public var maxBytes = 32 << 20
    public var compressionLevel: Int32 = 6
}
