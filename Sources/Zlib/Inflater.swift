internal import CZlib
import Foundation

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
