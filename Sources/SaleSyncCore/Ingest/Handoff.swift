import Foundation

/// Hands work to exactly one other thread, and lets go of it once run: the work may capture a
/// closure that must not outlive the call that started the thread (`withoutActuallyEscaping`).
final class Handoff: @unchecked Sendable {
    private var work: (() -> Void)?
    init(_ work: @escaping () -> Void) { self.work = work }

    func run() {
        let w = work
        work = nil
        w?()
    }
}
