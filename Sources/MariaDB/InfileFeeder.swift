internal import CMariaDB
import Foundation

/// Bridges a Swift chunk source to Connector/C's local-infile callbacks.
final class InfileFeeder {
    let source: () throws -> [UInt8]
    var pending: [UInt8] = []
    var offset = 0
    var failure: Error?
    init(_ source: @escaping () throws -> [UInt8]) { self.source = source }
}

let infileInit: @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Int32 =
    { ptr, _, user in
        ptr?.pointee = user
        return 0
    }

let infileRead: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?, UInt32) -> Int32 = { user, buf, len in
    guard let user, let buf else { return -1 }
    let feeder = Unmanaged<InfileFeeder>.fromOpaque(user).takeUnretainedValue()
    if feeder.offset >= feeder.pending.count {
        do {
            feeder.pending = try feeder.source()
            feeder.offset = 0
        } catch {
            feeder.failure = error
            return -1
        }
        if feeder.pending.isEmpty { return 0 }
    }
    let n = min(Int(len), feeder.pending.count - feeder.offset)
    feeder.pending.withUnsafeBytes { src in
        UnsafeMutableRawPointer(buf).copyMemory(from: src.baseAddress! + feeder.offset, byteCount: n)
    }
    feeder.offset += n
    return Int32(n)
}

let infileEnd: @convention(c) (UnsafeMutableRawPointer?) -> Void = { _ in }

let infileError: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?, UInt32) -> Int32 = { user, buf, len in
    var message = "salesync: local infile source failed"
    if let user, let e = Unmanaged<InfileFeeder>.fromOpaque(user).takeUnretainedValue().failure {
        message = "\(e)"
    }
    return infileMessage(message, into: buf, len)
}

/// Puts `message` in Connector/C's error buffer (cut to fit, NUL-terminated); returns the error code.
private func infileMessage(_ message: String, into buf: UnsafeMutablePointer<CChar>?, _ len: UInt32) -> Int32 {
    if let buf, len > 0 {
        let bytes = Array(message.utf8.prefix(Int(len) - 1))
        for (i, b) in bytes.enumerated() { buf[i] = CChar(bitPattern: b) }
        buf[bytes.count] = 0
    }
    return Int32(MariaDBError.Code.clientUnknown)
}

/// The handler a connection that may LOAD DATA LOCAL keeps between salesync's own loads: it
/// refuses every request. Connector/C's default handler would read whatever file the server
/// names (the branch's signing key, say) whenever the server asks, whatever the client sent.
let refuseInit: @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Int32 =
    { ptr, _, _ in
        ptr?.pointee = nil
        return 1
    }

let refuseRead: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?, UInt32) -> Int32 = { _, _, _ in -1 }

let refuseError: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?, UInt32) -> Int32 = { _, buf, len in
    infileMessage("salesync: a local file was asked for outside salesync's own loads; refused", into: buf, len)
}
