internal import CZlib
import Foundation

/// An error reported by zlib, carrying zlib's own message.
public struct ZlibError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public var description: String { "zlib error \(code): \(message)" }
}
