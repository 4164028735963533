import Foundation

/// The average-rate limit of one drain: when the next byte may go.
final class Pace {
    let bandwidth: Int?
    let started = Date()
    private(set) var bytes = 0

    init(bandwidth: Int?) { self.bandwidth = bandwidth }

    /// Counts `n` bytes sent and returns the instant the average allows the next ones (nil: now).
    func sent(_ n: Int) -> Date? {
        bytes += n
        return bandwidth.map { started.addingTimeInterval(Double(bytes) / Double($0)) }
    }
}
