import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Lets another thread end whatever a connection is blocked in (a `send()` into a link gone
/// dark, a wait for frames) by shutting its socket down: rabbitmq-c 0.11 has no deadline of its
/// own for a send, and a vanished peer never resets the connection. Safe to call at any time,
/// before the socket exists (it is shut as soon as it does) or after it is closed (a no-op).
public final class LinkInterrupter: Sendable {
    /// The socket (-1: none yet, or closed) and whether `interrupt()` was called.
    private let state = Mutex((fd: Int32(-1), fired: false))

    public init() {}

    /// Whether `interrupt()` was called: errors after it are the interrupt's doing, not the link's.
    public var wasInterrupted: Bool { state.withLock { $0.fired } }

    /// Shuts the socket down for reading and writing; blocked calls on it return at once.
    public func interrupt() {
        state.withLock {
            $0.fired = true
            if $0.fd >= 0 { _ = shutdown($0.fd, Int32(SHUT_RDWR)) }
        }
    }

    func attach(_ socket: Int32) {
        state.withLock {
            $0.fd = socket
            if $0.fired && socket >= 0 { _ = shutdown(socket, Int32(SHUT_RDWR)) }
        }
    }

    func detach() { state.withLock { $0.fd = -1 } }
}
