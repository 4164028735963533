import Foundation
import SaleSyncCore
import SaleSyncTesting
import Testing

/// A schedule can never run outside its window, and refused credentials say what to fix (exit 78).
@Suite struct WindowAndCredentialTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .path

    func hhmm(_ offset: TimeInterval) -> String {
        let f = DateFormatter()
        f.dateFormat = "HH:mm"
        return f.string(from: Date().addingTimeInterval(offset))
    }

    @Test func aRunStartedAfterItsWindowEndsAtOnceTouchingNothing() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 50)
        let started = Date()
        let closed = "\(hhmm(-7200))-\(hhmm(-3600))"
        let (code, _, err) = try lab.run(["--config", lab.path(b), "run", "--window", closed, "--ack-wait", "30s"])
        #expect(code == 75, "\(err)")
        #expect(err.contains("--window \(closed): the window is closed") && err.contains("next window opens"), "\(err)")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_runs") == "0")
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_bundles") == "0")
        // The same run inside an open window does its work.
        let (openCode, _, openErr) = try lab.run(["--config", lab.path(b), "run", "--window", "\(hhmm(-3600))-\(hhmm(3600))"])
        #expect(openCode == 75, "sent, not acknowledged yet: \(openErr)")
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_bundles") == "1")
        // A malformed window is a usage error naming the option.
        let (badCode, _, badErr) = try lab.run(["--config", lab.path(b), "run", "--window", "18:00"])
        #expect(badCode == 78 && badErr.contains("--window: expected HH:MM-HH:MM"), "\(badErr)")
    }

    /// A run started inside its window that cannot finish (it waits up to an hour for
    /// acknowledgements no head office sends) stops at the window's end, not before and not after.
    @Test func aRunInsideItsWindowStopsAtItsEnd() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 200)
        var now = Date()
        if Calendar.current.component(.second, from: now) > 50 {  // at least 10 s of window left
            Thread.sleep(forTimeInterval: 12)
            now = Date()
        }
        let end = Calendar.current.nextDate(after: now, matching: DateComponents(second: 0), matchingPolicy: .nextTime)!
        let window = "\(hhmm(-3600))-\(hhmm(end.timeIntervalSince(now) + 1))"
        let (code, _, err) = try lab.run(["--config", lab.path(b), "run", "--window", window, "--ack-wait", "1h"])
        let finished = Date()
        #expect(code == 75, "\(err)")
        #expect(
            finished >= end.addingTimeInterval(-1) && finished < end.addingTimeInterval(10), "ended \(finished), window end \(end): \(err)")
    }

    @Test func theShippedTimerServiceAndCronFileUseTheWindow() throws {
        let service = try String(contentsOfFile: Self.root + "/cron/salesync-branch.service", encoding: .utf8)
        let cron = try String(contentsOfFile: Self.root + "/cron/salesync-branch", encoding: .utf8)
        for text in [service, cron] {
            let runs = text.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains(" run ") }
            #expect(!runs.isEmpty && runs.allSatisfy { $0.contains("--window 18:00-19:30") && !$0.contains("--until") })
        }
    }

    @Test func aWrongBrokerPasswordIsExit78NamingTheUser() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 10)
        try lab.export(b)
        try "not-the-password\n".write(toFile: lab.dir + "/wrong-mq.password", atomically: true, encoding: .utf8)
        let config = try String(contentsOfFile: lab.path(b), encoding: .utf8)
            .replacingOccurrences(
                of: "password_file = \"\(lab.env.rabbitPasswordFile)\"", with: "password_file = \"\(lab.dir)/wrong-mq.password\"")
        try lab.write("wrong.toml", config)
        let user = URLComponents(string: lab.env.rabbitURL)?.user ?? "?"
        let (code, _, err) = try lab.run(["--config", lab.dir + "/wrong.toml", "drain"])
        #expect(code == 78, "\(err)")
        #expect(err.contains("refused user \"\(user)\"") && err.contains("rabbitmq.password_file") && err.contains("wrong.toml"), "\(err)")
        #expect(try lab.scalar(b, "SELECT status FROM salesync_bundles") == "pending")
        // The site's status tells the same (its last run's outcome).
        let (_, status, _) = try lab.run(["--config", lab.path(b), "status"])
        #expect(status.contains("last run: drain") && status.contains("refused user \"\(user)\""), "\(status)")
    }
}
