import Foundation
import SaleSyncCore
import Synchronization

/// The head office's ingest service on a thread of its own until `stop()`, as `salesync ingest` runs it.
public final class RunningService: Sendable {
    final class Flag: Sendable { let raised = Atomic<Bool>(false) }
    let stopFlag = Flag()
    let outcome: Background<Result<IngestReport, Error>>

    public init(_ service: IngestService) {
        let flag = stopFlag
        outcome = Background("service") { Result { try service.run { flag.raised.load(ordering: .relaxed) } } }
    }

    public func stop() throws -> IngestReport {
        stopFlag.raised.store(true, ordering: .relaxed)
        guard let r = outcome.value(within: 30) else { throw SyncError.temporary("the ingest service did not stop within 30 s") }
        return try r.get()
    }

    public var ended: Bool { outcome.value(within: 0) != nil }
}

/// Polls `condition` for up to `seconds`; whether it became true.
public func eventually(_ seconds: TimeInterval = 30, _ condition: () throws -> Bool) throws -> Bool {
    let until = Date().addingTimeInterval(seconds)
    while Date() < until {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.1)
    }
    return false
}
