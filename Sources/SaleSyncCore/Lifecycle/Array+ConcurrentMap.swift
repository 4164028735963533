import Dispatch

extension Array {
    /// `transform` of every element, in order, spread over the machine's cores; the first error
    /// (by position) is rethrown. Only for work that touches no shared mutable state: the
    /// compiler cannot check that here (each call writes its own slot of the results).
    func concurrentMap<T>(_ transform: (Element) throws -> T) throws -> [T] {
        var results = [Result<T, Error>?](repeating: nil, count: count)
        withoutActuallyEscaping(transform) { transform in
            nonisolated(unsafe) let work = transform
            nonisolated(unsafe) let items = self
            results.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let out = buffer
                DispatchQueue.concurrentPerform(iterations: items.count) { i in out[i] = Result { try work(items[i]) } }
            }
        }
        return try results.map { try $0!.get() }
    }
}
