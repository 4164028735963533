import Foundation

/// Holds the downlink back until the drain is sending the branch's sales (or has none to send).
///
/// Why: on a slow link with a deep modem queue, the downlink's stream keeps the inbound queue
/// full, and every request-reply of the drain's set-up (connect, declare, collect acks) then
/// waits seconds behind it; a short window could end before a sale left. Once the drain
/// publishes, its chunks go out on the other direction of the link and only its confirms come
/// back through the queue (a window of them in flight), so both directions can then run at once.
public final class SalesFirst: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false

    public init() {}

    /// The drain is past its set-up: the downlink may start.
    public func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until `open` or `stop` says the run is over; returns whether the gate opened.
    public func wait(unless stop: () -> Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !isOpen && !stop() { _ = condition.wait(until: Date().addingTimeInterval(0.1)) }
        return isOpen
    }
}
