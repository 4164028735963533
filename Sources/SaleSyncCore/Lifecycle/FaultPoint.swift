import Foundation
import Glibc

/// Test and fault-injection hook: when the environment variable SALESYNC_FAULT names `point`,
/// the process exits at once (as if killed) right after that step. Used by crash tests only.
func faultPoint(_ point: String) {
    if let f = ProcessInfo.processInfo.environment["SALESYNC_FAULT"], f == point {
        FileHandle.standardError.write(Data("salesync: fault injected at \(point)\n".utf8))
        _exit(99)
    }
}
