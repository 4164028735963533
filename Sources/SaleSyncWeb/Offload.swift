import Dispatch

/// Runs blocking work (bcrypt, process control) on a dispatch queue instead of Swift's
/// cooperative threads, which must never block.
enum Offload {
    static let queue = DispatchQueue(label: "salesync.console.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { cont in
            queue.async { cont.resume(with: Result { try body() }) }
        }
    }
}
