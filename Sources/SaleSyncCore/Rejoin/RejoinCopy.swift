import Crypto
import Foundation
import Logging
import MariaDB

/// Head office: a branch's rejoin copy (docs/operations.md): every row the head office holds of
/// a branch that went back in time, signed with the head office's key and queued as the
/// branch's next downlink bundle, for `salesync rejoin` there.
///
/// Why the head office prepares it by itself, without an operator's consent: it holds only
/// what the branch itself sent, and goes only to that branch, signed; nothing of the branch's
/// changes until the branch has merged it and numbers its bundles in the copy's new epoch.
public struct RejoinCopy {
    /// The downlink's distributor: the copy is staged, recorded and sent like its bundles.
    let distributor: Distributor
    var config: Config { distributor.config }
    var conn: MariaDBConnection { distributor.conn }

    public init(config: Config, connection: MariaDBConnection, key: Curve25519.Signing.PrivateKey, logger: Logger) {
        distributor = Distributor(config: config, connection: connection, key: key, logger: logger)
    }

    /// Prepares a copy for every branch that went back in time and has none yet; returns them.
    @discardableResult
    public func prepareOwed() throws -> [String] {
        let owed = try conn.query(
            "SELECT branch_id FROM salesync_branches WHERE went_back_seq IS NOT NULL AND rejoin_epoch IS NULL ORDER BY branch_id"
        ).compactMap { $0[0] }
        for b in owed { try prepare(b) }
        return owed
    }

    /// `branch`'s copy not yet acknowledged, else a new one (`prepare`).
    public func prepareUnlessOut(_ branch: String) throws -> DownlinkBundle {
        if let r = try conn.query(
            """
            SELECT d.seq, d.file, d.sha256, d.bytes FROM salesync_downlink d JOIN salesync_branches b ON b.branch_id = d.branch_id
            WHERE d.branch_id = ? AND d.kind = ? AND d.status <> ? AND b.rejoin_epoch IS NOT NULL ORDER BY d.seq DESC LIMIT 1
            """, [.text(branch), .text(BundleKind.rejoin.rawValue), BundleStatus.acked.sql]
        ).first {
            return DownlinkBundle(
                branch: branch, sequence: r.uint(0) ?? 0, file: r[1] ?? "", sha256: r[2] ?? "", bytes: Int(r.int(3) ?? 0))
        }
        return try prepare(branch)
    }

    /// Writes `branch`'s copy as its next downlink bundle, opening the branch's next epoch, and
    /// asks for its downlink tables to be sent whole after it (its copy of them went back too).
    @discardableResult
    public func prepare(_ branch: String) throws -> DownlinkBundle {
        try distributor.recover()
        try conn.begin()
        let written = try distributor.staging {
            guard
                let r = try conn.query(
                    "SELECT last_seq, epoch, went_back_seq FROM salesync_branches WHERE branch_id = ? FOR UPDATE", [.text(branch)]
                ).first
            else { throw SyncError.data("branch \(branch): the head office never applied a bundle of it, so it has nothing to send back") }
            let (base, epoch) = (r.uint(0) ?? 0, (r.uint(1) ?? 0) + 1)
            // Asked for by an operator while the branch syncs as usual: its later bundles would
            // change what the copy shows, so they wait, as a branch that went back waits.
            if r[2] == nil {
                try conn.execute(
                    "UPDATE salesync_branches SET went_back_seq = ?, went_back_at = NOW(6), went_back_detail = ? WHERE branch_id = ?",
                    [
                        .uint(base + 1),
                        .text(
                            "rejoin asked for at the head office; nothing more of \(branch)'s is applied until it rejoins: run salesync rejoin at \(branch) (docs/operations.md)"
                        ), .text(branch),
                    ])
            }
            let next =
                try conn.query("SELECT COALESCE(MAX(seq), 0) + 1 FROM salesync_downlink WHERE branch_id = ?", [.text(branch)]).first?
                .uint(0) ?? 1
            let bytes = try BundleFormat.encode(
                branch: branch, sequence: next, kind: .rejoin, created: isoNow(), tables: try rows(of: branch), key: distributor.key,
                level: config.export.compressionLevel, epoch: epoch, base: base)
            let b = try distributor.stage(bytes, branch: branch, sequence: next, master: 0, kind: .rejoin)
            try conn.execute("UPDATE salesync_branches SET rejoin_epoch = ? WHERE branch_id = ?", [.uint(epoch), .text(branch)])
            try DownlinkOutbox.requestResync(conn, branch: branch, reason: "rejoin copy \(next)")
            distributor.logger.notice(
                "rejoin copy prepared",
                metadata: ["branch": "\(branch)", "epoch": "\(epoch)", "after": "\(base)", "bytes": "\(bytes.count)"])
            return [b]
        }
        return written[0]
    }

    /// The branch's rows of every synced table, in the columns its last bundle had, with the
    /// head office's state of them (what the branch's table must hash to once merged).
    func rows(of branch: String) throws -> [TableChanges] {
        try conn.execute("SET @salesync_branch = ?", [.text(branch)])
        var out: [TableChanges] = []
        for name in config.database.tables {
            guard let schema = try HeadOfficeStore.lastSchema(conn, branch: branch, table: name) else { continue }
            var upserts = RowBatch(columnCount: schema.columns.count)
            let cols = schema.columns.map { "t." + quoteIdentifier($0.name) }.joined(separator: ", ")
            let order = schema.keyColumns.map { "t." + quoteIdentifier($0.name) }.joined(separator: ", ")
            try conn.stream("SELECT \(cols) FROM \(quoteIdentifier(name)) t WHERE t.branch_id = @salesync_branch ORDER BY \(order)") {
                row in
                for i in 0..<schema.columns.count { upserts.columns[i].append(row.bytes(i)) }
            }
            let state = try conn.query(
                "SELECT state_rows, state_hash FROM salesync_table_state WHERE branch_id = ? AND table_name = ?",
                [.text(branch), .text(name)]
            ).first
            let section = TableSection(
                name: name, fingerprint: schema.fingerprint, columns: schema.columns, logFrom: 0, logTo: 0, upserts: upserts.count,
                deletes: 0, state: state.map { StateChecksum(rows: $0.int(0) ?? 0, hash: $0.uint(1) ?? 0) }, reset: true)
            out.append(TableChanges(section: section, upserts: upserts, deletes: RowBatch(columnCount: schema.keyIndexes.count)))
        }
        return out
    }
}
