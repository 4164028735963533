import Dispatch
import Foundation
import Synchronization

/// Runs a closure on a thread of its own and hands its result back: the one way salesync's
/// blocking code (Connector/C and rabbitmq-c calls) does two things at once. The result is kept
/// in a `Mutex`; a semaphore only says it is there.
public final class Background<T: Sendable>: Sendable {
    private let result = Mutex<T?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    public init(_ name: String, _ work: @escaping @Sendable () -> T) {
        let thread = Thread { [self] in
            let value = work()
            result.withLock { $0 = value }
            ready.signal()
        }
        thread.name = "salesync-\(name)"
        thread.start()
    }

    /// Waits for the result.
    public func value() -> T {
        ready.wait()
        ready.signal()  // for a second caller
        return result.withLock { $0! }
    }

    /// Waits at most `seconds` for the result; nil if it has not come by then.
    public func value(within seconds: TimeInterval) -> T? {
        guard ready.wait(timeout: .now() + seconds) == .success else { return nil }
        ready.signal()
        return result.withLock { $0 }
    }
}

/// A value that is not Sendable, moved to exactly one other thread. Sound only when the sender
/// stops using it until that thread is done with it (`Background.value()` returns): each use
/// says why that holds.
public struct HandedOver<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
