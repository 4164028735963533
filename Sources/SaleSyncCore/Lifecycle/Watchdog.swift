import AMQP
import Foundation
import Synchronization

/// Makes a run end on time whatever the link does. At its deadline (plus `linkGrace`) or shortly
/// after a stop signal it interrupts the broker link, so a call blocked on it (a send into a dark
/// link, a wait for confirms) returns and the run winds down normally. If the run is still going
/// `hardGrace` seconds later (blocked where no interrupt reaches, e.g. a DNS lookup), it calls
/// `lastWords` (closing the run record) and ends the process with exit 75: everything salesync
/// keeps is transactional or written to a temporary name, so this is as safe as `kill -9`.
public final class Watchdog: Sendable {
    public let deadline: Date?
    let linkGrace: TimeInterval
    let hardGrace: TimeInterval
    /// What the run and the watchdog's thread share.
    private struct State {
        var links: [ObjectIdentifier: LinkInterrupter] = [:]
        var interrupted = false
        var stopSeen: Date?
        var phase = "starting"
        var lastWords: (@Sendable (String) -> Void)?
        var finished = false
    }
    private let state = Mutex(State())

    /// - Parameters:
    ///   - deadline: when the run must end (nil: only a stop signal ends it early).
    ///   - linkGrace: how long after the deadline a blocked link call is interrupted.
    ///   - hardGrace: how long after the deadline (or the signal) the process is ended.
    public init(deadline: Date?, linkGrace: TimeInterval = 2, hardGrace: TimeInterval = 8) {
        self.deadline = deadline
        self.linkGrace = linkGrace
        self.hardGrace = hardGrace
        let t = Thread { [weak self] in self?.watch() }
        t.name = "salesync-watchdog"
        t.start()
    }

    /// What the run is doing, for the message if it has to be ended from here.
    public func enter(_ what: String) { state.withLock { $0.phase = what } }

    /// Called (on the watchdog's thread) just before the process is ended from here.
    public func onHardStop(_ body: @escaping @Sendable (String) -> Void) { state.withLock { $0.lastWords = body } }

    /// Interrupts `link` when the time comes (at once if it has come already).
    public func watch(_ link: LinkInterrupter) {
        let now = state.withLock {
            $0.links[ObjectIdentifier(link)] = link; return $0.interrupted
        }
        if now { link.interrupt() }
    }

    public func unwatch(_ link: LinkInterrupter) { _ = state.withLock { $0.links.removeValue(forKey: ObjectIdentifier(link)) } }

    /// The run ended by itself: the watchdog stands down.
    public func finish() { state.withLock { $0.finished = true } }

    /// Whether the run should stop starting new work: the deadline passed or a stop was asked for.
    public var shouldStop: Bool { StopSignal.due(by: deadline) }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: 0.1)
            let now = Date()
            let (done, why, hardAt, interruptAt) = state.withLock { s -> (Bool, String, Date?, Date?) in
                if StopSignal.requested && s.stopSeen == nil { s.stopSeen = now }
                let byDeadline = deadline.map { ($0.addingTimeInterval(hardGrace), $0.addingTimeInterval(linkGrace)) }
                let bySignal = s.stopSeen.map { ($0.addingTimeInterval(hardGrace), $0.addingTimeInterval(1)) }
                let hard = [byDeadline?.0, bySignal?.0].compactMap { $0 }.min()
                let soft = [byDeadline?.1, bySignal?.1].compactMap { $0 }.min()
                return (s.finished, s.stopSeen != nil ? "stopped by a signal" : "deadline reached", hard, soft)
            }
            if done { return }
            if let interruptAt, now >= interruptAt { interruptLinks() }
            if let hardAt, now >= hardAt { hardStop(why) }
        }
    }

    private func interruptLinks() {
        let all = state.withLock { s -> [LinkInterrupter] in
            if s.interrupted { return [] }
            s.interrupted = true
            return Array(s.links.values)
        }
        for l in all { l.interrupt() }
    }

    private func hardStop(_ why: String) -> Never {
        let (what, words) = state.withLock { ($0.phase, $0.lastWords) }
        let message = "\(why) while \(what); ended by the watchdog"
        if let words {
            // Best effort, and bounded: the process ends whether or not this finishes.
            _ = Background("last-words") { words(message) }.value(within: 1.5)
        }
        FileHandle.standardError.write(Data("salesync: \(message); the next run continues\n".utf8))
        _exit(FailureClass.temporary.rawValue)
    }
}
