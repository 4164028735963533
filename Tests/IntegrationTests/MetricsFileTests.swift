import Foundation
import SaleSyncTesting
import Testing

/// `status --metrics` as the shipped cron line runs it, on a site without node_exporter.
@Suite struct MetricsFileTests {
    @Test func theMetricsDirectoryIsCreatedWhenMissing() throws {
        let lab = try Lab(branches: 1)
        try lab.initAll()
        let file = lab.dir + "/node_exporter/textfile/salesync.prom"
        for site in [lab.branches[0], "ho"] {
            try? FileManager.default.removeItem(atPath: lab.dir + "/node_exporter")
            let (code, _, err) = try lab.run(["--config", lab.path(site), "status", "--metrics", file])
            #expect(code == 0, "\(site): \(err)")
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.contains("# TYPE salesync_"), "\(site): \(text)")
        }
    }
}
