import Foundation
import Glibc

/// An exclusive, non-blocking lock on a file (flock): held until the process exits or `release`.
public final class FileLock {
    private var fd: Int32

    /// Takes the lock or throws if another process still holds it after `wait` seconds.
    public init(path: String, what: String, wait: TimeInterval = 0) throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SyncError.other("cannot open lock file \(path): \(String(cString: strerror(errno)))") }
        let until = Date(timeIntervalSinceNow: wait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard Date() < until else {
                close(fd)
                fd = -1
                throw SyncError.temporary("another salesync \(what) is running (lock \(path) is held); nothing done")
            }
            usleep(50_000)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, pid.count, 0) }
    }

    public func release() {
        if fd >= 0 { _ = flock(fd, LOCK_UN); close(fd); fd = -1 }
    }

    deinit { release() }
}
