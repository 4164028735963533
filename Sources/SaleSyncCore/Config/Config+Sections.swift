import Foundation

extension Config {
    mutating func readDatabase(_ db: TableReader) throws {
        database.host = try db.string("host") ?? database.host
        database.port = try db.int("port", range: 1...65535) ?? database.port
        database.socket = try db.string("socket").flatMap { $0.isEmpty ? nil : $0 }
        database.user = try db.string("user", required: true)!
        database.passwordFile = try db.string("password_file").flatMap { $0.isEmpty ? nil : $0 }
        database.name = try db.string("name", required: true)!
        database.tables = try db.stringArray("tables", required: true)!
        if database.tables.isEmpty { throw SyncError.config("\(path): key database.tables: expected at least one table name") }
        try db.finish()
    }

    mutating func readRabbit(_ mq: TableReader) throws {
        let single = try mq.string("url")
        let several = try mq.stringArray("urls", required: false)
        switch (single, several) {
        case (let u?, nil): rabbitmq.urls = [u]
        case (nil, let us?) where !us.isEmpty: rabbitmq.urls = us
        case (nil, _): throw SyncError.config("\(path): key rabbitmq.url or rabbitmq.urls: required (the broker's node or nodes)")
        case (_?, _?): throw SyncError.config("\(path): keys rabbitmq.url and rabbitmq.urls: give one or the other")
        }
        if let t = try mq.string("queue_type") {
            guard let q = QueueType(rawValue: t) else {
                throw SyncError.config("\(path): key rabbitmq.queue_type: expected \"quorum\" or \"classic\", got \"\(t)\"")
            }
            rabbitmq.queueType = q
        }
        rabbitmq.passwordFile = try mq.string("password_file").flatMap { $0.isEmpty ? nil : $0 }
        rabbitmq.caFile = try mq.string("ca_file").flatMap { $0.isEmpty ? nil : $0 }
        rabbitmq.certFile = try mq.string("cert_file").flatMap { $0.isEmpty ? nil : $0 }
        rabbitmq.keyFile = try mq.string("key_file").flatMap { $0.isEmpty ? nil : $0 }
        rabbitmq.verifyHostname = try mq.bool("verify_hostname") ?? true
        rabbitmq.heartbeat = try mq.duration("heartbeat") ?? rabbitmq.heartbeat
        if rabbitmq.heartbeat < 2 || rabbitmq.heartbeat > 600 {
            throw SyncError.config("\(path): key rabbitmq.heartbeat: expected 2s to 10m")
        }
        if rabbitmq.urls.contains(where: { $0.lowercased().hasPrefix("amqps://") }) && rabbitmq.caFile == nil {
            throw SyncError.config("\(path): key rabbitmq.ca_file: required for an amqps:// url")
        }
        try mq.finish()
    }

    mutating func readExport(_ ex: TableReader) throws {
        export.maxRows = try ex.int("max_rows", range: 1...10_000_000) ?? export.maxRows
        export.maxBytes = try ex.size("max_bytes") ?? export.maxBytes
        export.compressionLevel = Int32(try ex.int("compression_level", range: 1...9) ?? Int(export.compressionLevel))
        try ex.finish()
    }

    mutating func readCapture(_ cap: TableReader) throws {
        if let m = try cap.string("mode") {
            guard let mode = CaptureMode(rawValue: m) else {
                throw SyncError.config("\(path): key capture.mode: expected \"triggers\", \"binlog\" or \"compare\", got \"\(m)\"")
            }
            guard role == .branch || mode == .triggers else {
                throw SyncError.config(
                    "\(path): key capture.mode: \"\(m)\" is for a branch (the head office's catalogue capture uses triggers)")
            }
            captureMode = mode
        }
        try cap.finish()
    }

    mutating func readTransfer(_ tr: TableReader) throws {
        transfer.chunkSize = try tr.size("chunk_size") ?? transfer.chunkSize
        if transfer.chunkSize < 1024 || transfer.chunkSize > 64 << 20 {
            throw SyncError.config("\(path): key transfer.chunk_size: expected 1k to 64m")
        }
        transfer.resendAfter = try tr.duration("resend_after") ?? transfer.resendAfter
        transfer.confirmTimeout = try tr.duration("confirm_timeout") ?? transfer.confirmTimeout
        transfer.retention = try tr.duration("retention") ?? transfer.retention
        try tr.finish()
    }

    mutating func readWeb(_ w: TableReader) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let relative = { (p: String) in p.hasPrefix("/") || dir.isEmpty ? p : dir + "/" + p }
        web.usersFile = try w.string("users_file").map(relative)
        web.listen = try w.string("listen") ?? web.listen
        web.certFile = try w.string("cert_file").map(relative)
        web.keyFile = try w.string("key_file").map(relative)
        web.sessionTimeout = try w.duration("session_timeout") ?? web.sessionTimeout
        web.databaseUser = try w.string("database_user")
        web.databasePasswordFile = try w.string("database_password_file").map(relative)
        if let t = try w.string("window") {
            guard let window = DailyWindow(t) else {
                throw SyncError.config("\(path): key web.window: expected \"HH:MM-HH:MM\" (e.g. \"18:00-20:00\"), got \"\(t)\"")
            }
            web.window = window
        }
        if let c = try w.table("catalogue") {
            guard role == .branch else { throw SyncError.config("\(path): [web.catalogue]: the catalogue sale form is a branch's") }
            try readCatalogue(c)
        }
        if (web.certFile == nil) != (web.keyFile == nil) {
            throw SyncError.config("\(path): keys web.cert_file and web.key_file: give both (HTTPS) or neither")
        }
        try w.finish()
    }

    mutating func readIngest(_ ing: TableReader) throws {
        watchExternalChanges = try ing.bool("watch_external_changes") ?? true
        parallelBundles = try ing.int("parallel_bundles", range: 1...2) ?? parallelBundles
        try ing.finish()
    }

    mutating func readBranches(_ br: TableReader) throws {
        for id in br.table.keys.sorted() {
            guard let t = try br.table(id) else { continue }
            var peer = BranchPeer(id: id, publicKey: try t.string("public_key", required: true)!)
            if let w = try t.string("window") {
                guard let window = DailyWindow(w) else {
                    throw SyncError.config(
                        "\(path): key branches.\(id).window: expected \"HH:MM-HH:MM\" (e.g. \"18:00-20:00\"), got \"\(w)\"")
                }
                peer.window = window
            }
            branches.append(peer)
            try t.finish()
        }
        br.used = Set(br.table.keys)
        try br.finish()
    }

    /// What each role cannot do without.
    func checkRole() throws {
        switch role {
        case .branch:
            guard keyFile != nil else { throw SyncError.config("\(path): key key_file: required on a branch (see salesync keygen)") }
        case .headOffice:
            // No branch yet is a head office being set up (docs/deployment.md): `init`, the
            // console and an idle ingest service work; each branch comes with add-branch.sh.
            for b in branches {
                guard let raw = Data(base64Encoded: b.publicKey), raw.count == 32 else {
                    throw SyncError.config(
                        "\(path): key branches.\(b.id).public_key: expected the base64 Ed25519 public key that salesync keygen prints")
                }
            }
        }
    }
}
