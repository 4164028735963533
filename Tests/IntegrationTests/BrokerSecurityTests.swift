import AMQP
import Foundation
import SaleSyncCore
import SaleSyncTesting
import Testing

@Suite struct BrokerSecurityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .path

    /// Creates a broker user exactly as the deployment does (scripts/rabbit_definitions.py).
    func makeUser(_ kind: String, _ user: String, _ password: String, branch: String?, dir: String) throws {
        let defs = dir + "/\(user).json"
        let py = Process()
        py.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        py.arguments = [Self.root + "/scripts/rabbit_definitions.py", kind, user, "-"] + (branch.map { [$0] } ?? [])
        let input = Pipe()
        py.standardInput = input
        #expect(FileManager.default.createFile(atPath: defs, contents: nil))
        py.standardOutput = FileHandle(forWritingAtPath: defs)
        try py.run()
        input.fileHandleForWriting.write(Data((password + "\n").utf8))
        input.fileHandleForWriting.closeFile()
        py.waitUntilExit()
        chmod(defs, 0o644)
        let ctl = Process()
        ctl.executableURL = URL(fileURLWithPath: "/bin/bash")
        ctl.arguments = [Self.root + "/scripts/services.sh", "rabbitmqctl", "import_definitions", defs]
        try ctl.run()
        ctl.waitUntilExit()
        #expect(ctl.terminationStatus == 0)
    }

    @Test func aBranchCanNeitherPublishIntoNorReadAnotherBranchsStream() throws {
        let lab = try Lab(branches: 2)
        let (b1, b2) = (lab.branches[0], lab.branches[1])
        try lab.initAll()
        try makeUser("branch", "u_\(b1)", "pw-\(b1)", branch: b1, dir: lab.dir)
        let url = lab.env.rabbitURL.replacingOccurrences(of: #"//[^@]*@"#, with: "//u_\(b1)@", options: .regularExpression)
        func connect() throws -> AMQPConnection { try AMQPConnection(try AMQPOptions(url: url, password: "pw-\(b1)")) }

        // Its own stream works: declare, publish, read its acks.
        let own = try connect()
        try Topology.declare(own, branch: b1)
        try own.enableConfirms()
        try [UInt8]([1]).withUnsafeBytes {
            try own.publish(exchange: Topology.bundleExchange(b1), routingKey: b1, body: $0, messageId: "ok", type: "t")
        }
        #expect(try own.awaitConfirms(timeout: 10).confirmed.contains("ok"))
        _ = try own.get(Topology.ackQueue(b1))
        own.close()

        // Publishing into bo2's exchange: refused by the broker.
        let c1 = try connect()
        try c1.enableConfirms()
        let e1 = #expect(throws: AMQPError.self) {
            try [UInt8]([1]).withUnsafeBytes {
                try c1.publish(exchange: Topology.bundleExchange(b2), routingKey: b2, body: $0, messageId: "x", type: "t")
            }
            _ = try c1.awaitConfirms(timeout: 10)
        }
        #expect(e1?.isAccessRefused == true)
        c1.close()
        // Reading bo2's acknowledgements: refused.
        let c2 = try connect()
        let e2 = #expect(throws: AMQPError.self) { _ = try c2.get(Topology.ackQueue(b2)) }
        #expect(e2?.isAccessRefused == true)
        c2.close()
        // Nor bo2's bundle queue, where bo1 could steal or drop bo2's bundles.
        let c3 = try connect()
        let e3 = #expect(throws: AMQPError.self) { _ = try c3.get(Topology.bundleQueue(b2)) }
        #expect(e3?.isAccessRefused == true)
        c3.close()
    }

    @Test func tlsWorksAndAWrongCAIsRefused() throws {
        let env = try ServerEnv.load()
        #expect(!env.tlsURL.isEmpty && !env.tlsDir.isEmpty)
        let password = (try String(contentsOfFile: env.rabbitPasswordFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)
        let good = try AMQPConnection(try AMQPOptions(url: env.tlsURL, password: password, tls: TLSOptions(caFile: env.tlsDir + "/ca.pem")))
        try good.declareQueue("salesync.tls-check")
        good.close()
        // With a client certificate as well.
        let withCert = try AMQPConnection(
            try AMQPOptions(
                url: env.tlsURL, password: password,
                tls: TLSOptions(caFile: env.tlsDir + "/ca.pem", certFile: env.tlsDir + "/client.pem", keyFile: env.tlsDir + "/client.key")))
        withCert.close()
        let e = #expect(throws: AMQPError.self) {
            try AMQPConnection(try AMQPOptions(url: env.tlsURL, password: password, tls: TLSOptions(caFile: env.tlsDir + "/wrong-ca.pem")))
        }
        #expect(e?.kind == .library)
        #expect(e?.message.isEmpty == false)
        // And the whole pipeline over amqps:// from a config file.
        let lab = try Lab(branches: 1, extraHO: "", extraBranch: "")
        let b = lab.branches[0]
        for site in [b, "ho"] {
            let text = try String(contentsOfFile: lab.path(site), encoding: .utf8)
                .replacingOccurrences(
                    of: #"url = "[^"]*""#, with: "url = \"\(env.tlsURL)\"\nca_file = \"\(env.tlsDir)/ca.pem\"", options: .regularExpression)
            try lab.write(site == "ho" ? "ho.toml" : "\(b).toml", text)
        }
        try lab.initAll()
        try lab.sell(b, 30)
        try lab.syncAll()
        #expect(try lab.differences(b) == 0)
    }
}
