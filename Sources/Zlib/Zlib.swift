internal import CZlib
import Foundation

/// An error reported by zlib, carrying zlib's own message.
public struct ZlibError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public var description: String { "zlib error \(code): \(message)" }
}

/// A streaming zlib (RFC 1950) compressor: feed bytes in pieces, collect the output as it comes.
public final class Deflater {
    // zlib keeps a pointer to its z_stream (state->strm) between calls, so the stream lives at
    // a fixed heap address for the deflater's lifetime, never in a Swift stored property.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var open = false
    private var output: [UInt8]

    /// - Parameter level: 0–9, as for `gzip -N`.
    public init(level: Int32 = 6) throws {
        output = [UInt8](repeating: 0, count: 256 * 1024)
        stream.initialize(to: z_stream())
        let rc = salesync_deflateInit2(stream, level, 15, 9)
        // A throwing init of a fully initialised class still runs deinit, which frees `stream`.
        guard rc == Z_OK else { throw ZlibError(code: rc, message: Self.message(stream.pointee, rc)) }
        open = true
    }

    deinit {
        close()
        stream.deallocate()
    }

    /// Releases zlib's state; the deflater cannot be used afterwards.
    public func close() {
        if open { deflateEnd(stream); open = false }
    }

    /// Compresses `input`, appending any output produced so far to `sink`.
    public func update(_ input: UnsafeRawBufferPointer, into sink: inout [UInt8]) throws {
        try run(input, flush: Z_NO_FLUSH, into: &sink)
    }

    /// Compresses `input` (if any) and ends the stream.
    public func finish(_ input: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0), into sink: inout [UInt8]) throws {
        try run(input, flush: Z_FINISH, into: &sink)
    }

    private func run(_ input: UnsafeRawBufferPointer, flush: Int32, into sink: inout [UInt8]) throws {
        precondition(open, "Deflater used after close()")
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        let capacity = output.count
        while true {
            let rc: Int32 = output.withUnsafeMutableBufferPointer { out in
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = uInt(capacity)
                return deflate(stream, flush)
            }
            let produced = capacity - Int(stream.pointee.avail_out)
            if produced > 0 { sink.append(contentsOf: output[0..<produced]) }
            if rc == Z_STREAM_END { return }
            guard rc == Z_OK || rc == Z_BUF_ERROR else { throw ZlibError(code: rc, message: Self.message(stream.pointee, rc)) }
            if flush == Z_NO_FLUSH && stream.pointee.avail_in == 0 { return }
            if rc == Z_BUF_ERROR && produced == 0 && stream.pointee.avail_in == 0 { return }
        }
    }

    static func message(_ s: z_stream, _ rc: Int32) -> String {
        if let m = s.msg { return String(cString: m) }
        return String(cString: zError(rc))
    }
}

/// A zlib (RFC 1950) decompressor that refuses to produce more than a stated number of bytes,
/// so a hostile "compression bomb" cannot exhaust memory.
public final class Inflater {
    // At a fixed heap address for the same reason as the Deflater's.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var open = false

    public init() throws {
        stream.initialize(to: z_stream())
        let rc = salesync_inflateInit2(stream, 15)
        guard rc == Z_OK else { throw ZlibError(code: rc, message: Deflater.message(stream.pointee, rc)) }
        open = true
    }

    deinit {
        close()
        stream.deallocate()
    }

    /// Releases zlib's state.
    public func close() {
        if open { inflateEnd(stream); open = false }
    }

    /// Inflates a whole zlib stream that must expand to exactly `expectedSize` bytes.
    public static func inflate(_ input: some ContiguousBytes, expectedSize: Int) throws -> [UInt8] {
        let inflater = try Inflater()
        defer { inflater.close() }
        return try inflater.inflateAll(input, expectedSize: expectedSize)
    }

    func inflateAll(_ input: some ContiguousBytes, expectedSize: Int) throws -> [UInt8] {
        // One spare byte lets us notice a stream that would grow past the declared size.
        var out = [UInt8](repeating: 0, count: expectedSize + 1)
        let (rc, produced, leftover): (Int32, Int, Int) = input.withUnsafeBytes { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = uInt(inBuf.count)
                stream.pointee.next_out = outBuf.baseAddress
                stream.pointee.avail_out = uInt(outBuf.count)
                let rc = CZlib.inflate(stream, Z_FINISH)
                return (rc, outBuf.count - Int(stream.pointee.avail_out), Int(stream.pointee.avail_in))
            }
        }
        if rc == Z_STREAM_END {
            guard produced == expectedSize else {
                throw ZlibError(code: Z_DATA_ERROR, message: "stream inflates to \(produced) bytes, header declares \(expectedSize)")
            }
            guard leftover == 0 else {
                throw ZlibError(code: Z_DATA_ERROR, message: "\(leftover) bytes after the end of the compressed stream")
            }
            out.removeLast()
            return out
        }
        if produced > expectedSize {
            throw ZlibError(code: Z_DATA_ERROR, message: "stream inflates past the declared \(expectedSize) bytes")
        }
        if rc == Z_BUF_ERROR || rc == Z_OK {
            throw ZlibError(code: Z_DATA_ERROR, message: "compressed stream is truncated")
        }
        throw ZlibError(code: rc, message: Deflater.message(stream.pointee, rc))
    }
}
