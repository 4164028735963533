import Crypto

/// Backslash escaping by a byte table: a byte with an entry is written as `\` and the entry.
struct ByteEscapes: Sendable {
    private let table: [UInt8]

    init(_ escapes: [UInt8: UInt8]) {
        var t = [UInt8](repeating: 0, count: 256)
        for (byte, letter) in escapes { t[Int(byte)] = letter }
        table = t
    }

    @inline(__always)
    func append(_ v: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        table.withUnsafeBufferPointer { t in
            // Most values need no escaping: copy them whole.
            guard v.contains(where: { t[Int($0)] != 0 }) else {
                out.append(contentsOf: v)
                return
            }
            for b in v {
                let e = t[Int(b)]
                if e == 0 { out.append(b) } else { out.append(92); out.append(e) }
            }
        }
    }
}
