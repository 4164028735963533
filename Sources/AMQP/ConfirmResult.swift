internal import CRabbitMQ
import Foundation

/// The broker's answer to a batch of confirmed publishes.
public struct ConfirmResult: Sendable {
    /// Message ids the broker confirmed as stored and routed.
    public var confirmed: Set<String> = []
    /// Message ids the broker nacked or returned as unroutable (`mandatory`).
    public var failed: [String: String] = [:]
}
