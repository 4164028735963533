import Foundation
import Synchronization

/// SIGTERM and SIGINT (systemd stop, shutdown, `timeout`, Ctrl-C) as a flag the work loops poll:
/// the handler only sets it, which is all a signal handler may safely do.
public enum StopSignal {
    private static let flag = Atomic<Bool>(false)

    /// Whether a stop was asked for.
    public static var requested: Bool { flag.load(ordering: .relaxed) }

    /// Whether a run should stop starting new work: a stop was asked for or `deadline` passed.
    public static func due(by deadline: Date?) -> Bool { requested || deadline.map { Date() >= $0 } ?? false }

    /// Installs the handlers (and unblocks the signals, which a parent may have blocked: the
    /// mask is inherited).
    public static func install() {
        signal(SIGTERM) { _ in StopSignal.flag.store(true, ordering: .relaxed) }
        signal(SIGINT) { _ in StopSignal.flag.store(true, ordering: .relaxed) }
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
