import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Lets another thread end whatever a connection is blocked in (a `send()` into a link gone
/// dark, a wait for frames) by shutting its socket down: rabbitmq-c 0.11 has no deadline of its
/// own for a send, and a vanished peer never resets the connection. Safe to call at any time,
/// before the socket exists (it is shut as soon as it does) or after it is closed (a no-op).
public final class LinkInterrupter: @unchecked Sendable {
    private let lock = NSLock()
    private var fd: Int32 = -1
    private var fired = false

    public init() {}

    /// Whether `interrupt()` was called: errors after it are the interrupt's doing, not the link's.
    public var wasInterrupted: Bool { lock.withLock { fired } }

    /// Shuts the socket down for reading and writing; blocked calls on it return at once.
    public func interrupt() {
        lock.withLock {
            fired = true
            if fd >= 0 { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    func attach(_ socket: Int32) {
        lock.withLock {
            fd = socket
            if fired && fd >= 0 { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    func detach() { lock.withLock { fd = -1 } }
}
