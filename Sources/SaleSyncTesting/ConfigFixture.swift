import Foundation
import SaleSyncCore

/// A small config file written to a temporary directory and loaded, for tests of how its
/// sections are read (a head office gets one branch peer).
public enum ConfigFixture {
    public static func load(role: String, top: String, sections: String) throws -> Config {
        let dir = NSTemporaryDirectory() + "salesync-cfg-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let branches = role == "head-office" ? "\n[branches.bo1]\npublic_key = \"\(Data(count: 32).base64EncodedString())\"\n" : ""
        let text = """
            role = "\(role)"
            site = "s1"
            state_dir = "\(dir)/state"
            \(top)
            [database]
            user = "u"
            name = "d"
            tables = ["product_sales"]
            [rabbitmq]
            url = "amqp://u@127.0.0.1:5672/%2F"
            \(branches)
            \(sections)
            """
        try text.write(toFile: dir + "/c.toml", atomically: true, encoding: .utf8)
        return try Config.load(dir + "/c.toml")
    }
}
