import Foundation
import SaleSyncCore

/// Renders status as a human table or as Prometheus text-format metrics.
enum StatusText {
    static func age(_ s: Double?) -> String { DurationText.format(s, compact: true) }

    static func branch(_ s: BranchStatus) -> String {
        var out = ["branch \(s.site)"]
        for t in s.tables {
            out.append(
                "  table \(t.name): watermark \(t.watermark), \(t.unexportedChanges) change(s) not yet exported, \(t.rows) rows\(t.holes > 0 ? ", \(t.holes) open transaction hole(s)" : "")"
            )
        }
        if s.comparesTables {
            out.append("  capture compares the tables at each export: the changes since the last one are found, and counted, then")
        }
        if let at = s.binlogReadTo {
            out.append("  capture reads the binary log: read up to \(at); the changes after it are counted at the next export")
        }
        out.append(
            "  bundles: \(s.pending.count) pending (\(s.pending.bytes) B), \(s.sent.count) sent awaiting ack (\(s.sent.bytes) B), \(s.acknowledged.count) acknowledged (\(s.acknowledged.bytes) B)\(s.rejected.count > 0 ? ", \(s.rejected.count) REJECTED" : "")"
        )
        out.append("  oldest unacknowledged: \(age(s.oldestUnacknowledgedSeconds))")
        if let w = s.wentBackDetail { out.append("  WENT BACK IN TIME (\(s.wentBack.count) bundle(s) held at the head office): \(w)") }
        if let c = s.rejoinCopy { out.append("  rejoin copy from the head office waiting: \(c); run salesync rejoin") }
        if let r = s.lastRejoin {
            out.append("  last rejoin: epoch \(r.epoch) at \(r.at)")
            out += r.report.split(separator: "\n").map { "    " + $0 }
        }
        if let r = s.lastRun { out.append("  last run: \(r.command) \(r.started) → \(r.ended ?? "running") \(r.outcome ?? "")") }
        if let d = s.downlink {
            out.append(
                "  downlink: bundle \(d.lastApplied) applied\(d.lastAppliedAt.map { " at \($0)" } ?? "")\(d.verdict.map { " (\($0.rawValue))" } ?? ""), \(d.chunksWaiting) chunk(s) waiting, \(d.acksUnsent) acknowledgement(s) not yet sent"
            )
        }
        if !s.bundles.isEmpty {
            out.append("  recent bundles:")
            for b in s.bundles {
                out.append(
                    "    \(b.sequence)  \(b.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(b.rows) rows  \(b.bytes) B  \(b.detail ?? "")"
                )
            }
        }
        return out.joined(separator: "\n")
    }

    static func headOffice(_ s: HeadOfficeStatus) -> String {
        var out = [
            "head office \(s.site)", "  branch      last seq  applied at           lag     rows        held  missing  quarantined  state",
        ]
        for b in s.branches {
            func col(_ v: String, _ w: Int) -> String { v.padding(toLength: max(w, v.count), withPad: " ", startingAt: 0) }
            out.append(
                "  " + col(b.branch, 12) + col(String(b.lastSequence), 10) + col(b.lastAppliedAt ?? "never", 21) + col(age(b.lagSeconds), 8)
                    + col(String(b.rows), 12) + col(b.held.isEmpty ? "-" : b.held.map(String.init).joined(separator: ","), 6)
                    + col(b.missing.isEmpty ? "-" : b.missing.map(String.init).joined(separator: ","), 9) + col(String(b.quarantined), 13)
                    + b.verdict.rawValue
                    + (b.deadLettered.map { $0 > 0 ? "  DEAD-LETTERED \($0) (see salesync.dead.\(b.branch))" : "" } ?? ""))
            if let w = b.wentBack { out.append("    WENT BACK IN TIME: \(w)") }
            for h in b.schemaHolds {
                out.append(
                    "    SCHEMA HELD from seq \(h.sequence), table \(h.table): \(h.detail) (salesync schema accept --branch \(b.branch) --table \(h.table))"
                )
            }
        }
        if let d = s.downlink { out += downlink(d) }
        return out.joined(separator: "\n")
    }

    /// The head office's downlink: each table's latest version and who is behind, each branch's bundles.
    static func downlink(_ d: DownlinkStatus) -> [String] {
        var out = ["  downlink"]
        for t in d.tables {
            var line =
                "    \(t.name): version of \(t.latestAt ?? "never") applied at \(t.branchesCurrent) of \(t.branchesCurrent + t.behind.count) branches"
            if !t.behind.isEmpty {
                line += "; " + t.behind.map { "\($0.branch) still on \($0.appliedAt ?? "nothing")" }.joined(separator: ", ")
            }
            if !t.drifted.isEmpty { line += "; DRIFT at \(t.drifted.joined(separator: ", "))" }
            out.append(line)
        }
        for b in d.branches {
            out.append(
                "    \(b.branch): \(b.pending) pending, \(b.sent) sent, \(b.acknowledged) acknowledged (last \(b.lastAcknowledged)), oldest unacknowledged \(age(b.oldestUnacknowledgedSeconds))\(b.resync.map { "; resending its whole copy: \($0)" } ?? "")"
            )
        }
        return out
    }

    static func branchMetrics(_ s: BranchStatus) -> String {
        var m = MetricsWriter()
        let l = "branch=\"\(s.site)\""
        m.gauge(
            "salesync_bundles", "Bundles by status.",
            [
                ("\(l),status=\"pending\"", Double(s.pending.count)),
                ("\(l),status=\"sent\"", Double(s.sent.count)), ("\(l),status=\"acked\"", Double(s.acknowledged.count)),
                ("\(l),status=\"rejected\"", Double(s.rejected.count)),
                ("\(l),status=\"went-back\"", Double(s.wentBack.count)),
            ])
        m.gauge(
            "salesync_bundle_bytes", "Bundle bytes by status.",
            [
                ("\(l),status=\"pending\"", Double(s.pending.bytes)),
                ("\(l),status=\"sent\"", Double(s.sent.bytes)), ("\(l),status=\"acked\"", Double(s.acknowledged.bytes)),
            ])
        m.gauge(
            "salesync_oldest_unacknowledged_seconds", "Age of the oldest unacknowledged bundle.", [(l, s.oldestUnacknowledgedSeconds ?? 0)])
        m.gauge(
            "salesync_unexported_changes", "Change-log entries not yet exported.",
            s.tables.map { ("\(l),table=\"\($0.name)\"", Double($0.unexportedChanges)) })
        m.gauge("salesync_last_sequence", "Last bundle sequence written.", [(l, Double(s.lastSequence))])
        if let d = s.downlink {
            m.gauge("salesync_downlink_last_applied_sequence", "Last downlink bundle applied.", [(l, Double(d.lastApplied))])
            m.gauge(
                "salesync_downlink_chunks_waiting", "Downlink chunks received, their bundle not yet applied.",
                [(l, Double(d.chunksWaiting))])
            m.gauge("salesync_downlink_acks_unsent", "Downlink acknowledgements not yet sent.", [(l, Double(d.acksUnsent))])
        }
        return m.text
    }

    static func headOfficeMetrics(_ s: HeadOfficeStatus) -> String {
        var m = MetricsWriter()
        func each(_ f: (HeadOfficeStatus.Branch) -> Double) -> [(String, Double)] { s.branches.map { ("branch=\"\($0.branch)\"", f($0)) } }
        m.gauge("salesync_last_applied_sequence", "Last bundle applied per branch.", each { Double($0.lastSequence) })
        m.gauge("salesync_lag_seconds", "Time since the branch read the data of its last applied bundle.", each { $0.lagSeconds ?? -1 })
        m.gauge("salesync_held_bundles", "Bundles received early, waiting for missing ones.", each { Double($0.held.count) })
        m.gauge("salesync_missing_bundles", "Sequence numbers missing before held bundles.", each { Double($0.missing.count) })
        m.gauge("salesync_quarantined_bundles", "Bundles refused and awaiting an operator.", each { Double($0.quarantined) })
        m.gauge(
            "salesync_schema_holds", "Tables whose schema change from the branch waits for an operator (salesync schema list).",
            each { Double($0.schemaHolds.count) })
        m.gauge(
            "salesync_drift", "1 when the head office's copy differs from the branch's last state checksum.",
            each { $0.verdict == .drift ? 1 : 0 })
        m.gauge("salesync_rows", "Rows the head office holds per branch.", each { Double($0.rows) })
        m.gauge(
            "salesync_went_back",
            "1 when the branch went back in time (restored from a backup): nothing of its is applied until it rejoins.",
            each { $0.wentBack == nil ? 0 : 1 })
        m.gauge(
            "salesync_dead_lettered_messages", "Messages the broker dead-lettered from the branch's queue (-1: unknown).",
            each { Double($0.deadLettered ?? -1) })
        if let d = s.downlink { downlinkMetrics(d, into: &m) }
        return m.text
    }

    static func downlinkMetrics(_ d: DownlinkStatus, into m: inout MetricsWriter) {
        var bundles: [(String, Double)] = []
        for b in d.branches {
            for (status, n) in [("pending", b.pending), ("sent", b.sent), ("acked", b.acknowledged)] {
                bundles.append(("branch=\"\(b.branch)\",status=\"\(status)\"", Double(n)))
            }
        }
        m.gauge("salesync_downlink_bundles", "Downlink bundles per branch by status.", bundles)
        m.gauge(
            "salesync_downlink_oldest_unacknowledged_seconds", "Age of the branch's oldest unacknowledged downlink bundle (0: none).",
            d.branches.map { ("branch=\"\($0.branch)\"", $0.oldestUnacknowledgedSeconds ?? 0) })
        var current: [(String, Double)] = []
        var drift: [(String, Double)] = []
        for t in d.tables {
            for b in d.branches {
                let l = "branch=\"\(b.branch)\",table=\"\(t.name)\""
                current.append((l, t.behind.contains { $0.branch == b.branch } ? 0 : 1))
                drift.append((l, t.drifted.contains(b.branch) ? 1 : 0))
            }
        }
        m.gauge("salesync_downlink_current", "1 when the branch has applied the table's latest version.", current)
        m.gauge("salesync_downlink_drift", "1 when the branch's copy of the table differed at its last acknowledgement.", drift)
    }
}
