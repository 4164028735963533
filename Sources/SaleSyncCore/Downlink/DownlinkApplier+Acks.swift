import MariaDB

extension DownlinkApplier {
    /// The acknowledgements not yet sent (seq, ack body), oldest first: what the next stick or
    /// the next run's broker connection carries.
    static func owedAcks(_ db: MariaDBConnection) throws -> [Row] {
        try db.query("SELECT seq, ack_body FROM salesync_downlink_applied WHERE ack_sent_at IS NULL ORDER BY seq")
    }

    /// Marks acknowledgements from `owedAcks` sent, once they are on a stick or confirmed by the broker.
    static func markSent(_ db: MariaDBConnection, _ owed: [Row]) throws {
        guard !owed.isEmpty else { return }
        try db.execute(
            "UPDATE salesync_downlink_applied SET ack_sent_at = NOW(6) WHERE seq IN (\(owed.map { _ in "?" }.joined(separator: ", ")))",
            owed.map { .uint($0.uint(0) ?? 0) })
    }

    /// The acknowledgements owed, for the head office (`acks --from` there); once on the stick
    /// they count as sent, so that later sticks do not carry a branch's whole history. A stick
    /// lost on the way costs nothing: the head office copies the bundles it has no ack for onto
    /// its next stick, and `apply` owes their acks again.
    public func writeAcks(to dir: String) throws -> Int {
        try ensureDirectory(dir)
        let owed = try Self.owedAcks(conn)
        var written: [String] = []
        for r in owed {
            let body = r.bytes(1) ?? []
            let ack = try Ack.decode(body)
            let path = dir + "/ho-to-" + ack.fileName
            // An ack owed again (its bundle came again) may be on this stick already, complete
            // (renamed into place after a flush): it is not written again.
            if (try? readFile(path)) != body {
                try writeDurably(path: path + ".tmp", bytes: body)
                written.append(path)
            }
        }
        // The names after every file is flushed, then one flush of the directory for all of
        // them: a name only ever points at a complete file, and nothing counts as sent before.
        for path in written { try renameFile(from: path + ".tmp", to: path) }
        flushDirectory(dir)
        try Self.markSent(conn, owed)
        return owed.count
    }
}
