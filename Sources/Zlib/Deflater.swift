internal import CZlib
import Foundation

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
