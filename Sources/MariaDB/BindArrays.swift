internal import CMariaDB

/// The C arrays a prepared statement's parameters or results are bound through, and the
/// buffers they point at: allocated together, freed together when the statement call ends.
final class BindArrays {
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    let lengths: UnsafeMutablePointer<UInt>
    let nulls: UnsafeMutablePointer<my_bool>
    private var buffers: [UnsafeMutableRawPointer] = []

    init(count n: Int) {
        binds = .allocate(capacity: n)
        binds.initialize(repeating: MYSQL_BIND(), count: n)
        lengths = .allocate(capacity: n)
        lengths.initialize(repeating: 0, count: n)
        nulls = .allocate(capacity: n)
        nulls.initialize(repeating: 0, count: n)
    }

    /// A buffer of `byteCount` bytes (at least one) that lives as long as these arrays.
    func storage(byteCount: Int) -> UnsafeMutableRawPointer {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 8)
        buffers.append(p)
        return p
    }

    deinit {
        binds.deallocate()
        lengths.deallocate()
        nulls.deallocate()
        buffers.forEach { $0.deallocate() }
    }
}
