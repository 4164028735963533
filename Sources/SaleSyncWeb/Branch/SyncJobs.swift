import Foundation
import Synchronization

/// The branch console's one running action at a time (a second is refused while one runs; the
/// salesync lock file would refuse it anyway), and the last one's outcome.
public final class SyncJobs: Sendable {
    private let last = Mutex<SyncJob?>(nil)
    let configPath: String
    let executable: String

    init(configPath: String, executable: String = "/proc/self/exe") {
        self.configPath = configPath
        self.executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: executable)) ?? executable
    }

    public var current: SyncJob? { last.withLock { $0 } }

    /// Starts `salesync --config … --verbose ARGS`; nil when another action is still running.
    func start(_ title: String, user: String, args: [String]) throws -> SyncJob? {
        try last.withLock { last in
            if let l = last, l.running { return nil }
            let job = SyncJob(title: title, user: user)
            try job.start(executable: executable, args: ["--config", configPath, "--verbose"] + args)
            last = job
            return job
        }
    }
}
