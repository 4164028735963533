import AMQP
import Foundation
import MariaDB
import SaleSyncTesting
import Testing

/// The wrappers turn C library failures into Swift errors carrying the library's own message.
@Suite struct BindingErrorTests {
    @Test func wrongMariaDBPasswordGivesTheServersMessage() throws {
        let env = try ServerEnv.load()
        let e = #expect(throws: MariaDBError.self) {
            try MariaDBConnection(ConnectOptions(host: env.host, port: env.port, user: env.user, password: "wrong"))
        }
        #expect(e?.code == 1045)
        #expect(e?.message.contains("Access denied") == true)
    }

    @Test func unreachableMariaDBIsAConnectionFailure() throws {
        let e = #expect(throws: MariaDBError.self) {
            try MariaDBConnection(ConnectOptions(host: "127.0.0.1", port: 1, user: "x", password: "y", connectTimeoutSeconds: 2))
        }
        #expect(e?.isConnectionFailure == true)
        #expect(e?.message.contains("Can't connect") == true)
    }

    /// A connection that may LOAD DATA LOCAL serves only salesync's own loads: a statement that
    /// names a file (as a hostile server could ask for one at any time) is refused, before and
    /// after a load of its own, and reads nothing.
    @Test func localInfileServesNoFileOfItsOwn() throws {
        let env = try ServerEnv.load()
        let c = try MariaDBConnection(
            ConnectOptions(host: env.host, port: env.port, user: env.user, password: env.password, localInfile: true))
        defer { c.close() }
        let db = "salesync_probe_\(UInt32.random(in: 0...UInt32.max))"
        try c.execute("CREATE DATABASE \(db)")
        defer { try? c.execute("DROP DATABASE \(db)") }
        try c.execute("CREATE TABLE \(db).probe (line TEXT)")
        let file = NSTemporaryDirectory() + "salesync-secret-\(UUID().uuidString)"
        try "secret\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let probe = "LOAD DATA LOCAL INFILE '\(file)' INTO TABLE \(db).probe"
        let before = #expect(throws: MariaDBError.self) { try c.execute(probe) }
        #expect(before?.message.contains("refused") == true, "\(String(describing: before))")
        var sent = false
        try c.loadDataLocal("LOAD DATA LOCAL INFILE 'salesync-own' INTO TABLE \(db).probe") {
            defer { sent = true }
            return sent ? [] : Array("ours\n".utf8)
        }
        #expect(throws: MariaDBError.self) { try c.execute(probe) }
        #expect(try c.query("SELECT GROUP_CONCAT(line) FROM \(db).probe").first?[0] == "ours")
    }

    @Test func badSQLCarriesTheServersMessage() throws {
        let c = try ServerEnv.load().connect()
        defer { c.close() }
        let e = #expect(throws: MariaDBError.self) { try c.execute("SELEKT 1") }
        #expect(e?.code == 1064)
        let p = #expect(throws: MariaDBError.self) { try c.query("SELECT ? + ?", [.int(1)]) }
        #expect(p?.message.contains("parameters than the 1 given") == true, "\(String(describing: p))")
        // The connection is still in step with the server after both.
        #expect(try c.query("SELECT ? + ?", [.int(1), .int(2)]).first?[0] == "3")
    }

    @Test func boundParametersRoundTripHostileValues() throws {
        let c = try ServerEnv.load().connect()
        defer { c.close() }
        let nasty = "O'Brien \\ \" `; DROP TABLE x; -- 😀\u{0}end"
        let r = try c.query("SELECT ?, ?, ?, ?", [.text(nasty), .int(-42), .null, .bytes([0, 255, 10])])
        #expect(r.first?[0] == nasty)
        #expect(r.first?[1] == "-42")
        #expect(r.first?[2] == nil)
        #expect(r.first?.bytes(3) == [0, 255, 10])
    }

    @Test func wrongRabbitMQPasswordIsAccessRefused() throws {
        let env = try ServerEnv.load()
        let e = #expect(throws: AMQPError.self) {
            try AMQPConnection(try AMQPOptions(url: env.rabbitURL, password: "wrong"))
        }
        #expect(e?.isAccessRefused == true)
    }

    @Test func unreachableRabbitMQIsAConnectionFailure() throws {
        let e = #expect(throws: AMQPError.self) {
            try AMQPConnection(AMQPOptions(host: "127.0.0.1", port: 1, timeoutSeconds: 2))
        }
        #expect(e?.isConnectionFailure == true)
        #expect(e?.message.isEmpty == false)
    }

    @Test func missingQueueGivesTheBrokersMessage() throws {
        let env = try ServerEnv.load()
        let password = (try String(contentsOfFile: env.rabbitPasswordFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)
        let c = try AMQPConnection(try AMQPOptions(url: env.rabbitURL, password: password))
        defer { c.close() }
        let e = #expect(throws: AMQPError.self) { try c.declareQueue("salesync.no-such-queue.\(UUID())", passive: true) }
        #expect(e?.code == 404)
        #expect(e?.message.contains("NOT_FOUND") == true)
    }
}
