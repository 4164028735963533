import Foundation
import MariaDB
import SaleSyncCore

extension Lab {
    /// The head office's downlink export (`salesync export` there).
    @discardableResult
    public func distribute() throws -> [DownlinkBundle] {
        let c = try config("ho")
        let conn = try Database.open(c)
        defer { conn.close() }
        return try Distributor(config: c, connection: conn, key: try Keys.load(path: c.keyFile!), logger: logger).run()
    }

    /// The USB procedure's first half at the head office: every branch's pending downlink bundles into `dir`.
    @discardableResult
    public func copyDownlink(to dir: String) throws -> Int {
        let c = try config("ho")
        let conn = try Database.open(c)
        defer { conn.close() }
        return try DownlinkOutbox(config: c, connection: conn).copyPending(to: dir)
    }

    /// A branch's `ingest --from dir`.
    @discardableResult
    public func applyDownlink(_ b: String, from dir: String) throws -> DownlinkApplier.DirectoryReport {
        let c = try config(b)
        let conn = try Database.open(c, localInfile: true)
        defer { conn.close() }
        return try DownlinkApplier(config: c, connection: conn, logger: logger).applyDirectory(dir)
    }

    /// The head office's `acks --from dir`.
    @discardableResult
    public func importDownlinkAcks(from dir: String) throws -> Int {
        let c = try config("ho")
        let conn = try Database.open(c)
        defer { conn.close() }
        return try DownlinkOutbox(config: c, connection: conn).importAcks(from: dir)
    }

    /// Every row a query returns, each as its columns' text joined by tabs (NULL as \N).
    public func rows(_ site: String, _ query: String, _ params: [SQLValue] = []) throws -> [String] {
        let c = try db(site)
        defer { c.close() }
        return try c.query(query, params).map { r in (0..<r.values.count).map { r[$0] ?? "\\N" }.joined(separator: "\t") }
    }
}
