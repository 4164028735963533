import MariaDB

extension Migrator {
    /// The head office's tables: per-branch progress, applied bundles, the running state checksum
    /// per branch and table, the durable inbox of received chunks, acknowledgements owed,
    /// quarantine, held schema changes. (Each synced table is created as bundles bring it.)
    static let headOffice: [Migration] = headOfficeUplink + headOfficeDownlink

    /// What the head office needs to receive branches' bundles.
    static let headOfficeUplink: [Migration] = [
        Migration(
            "branches", since: 1,
            sql: """
                CREATE TABLE IF NOT EXISTS salesync_branches (
                  branch_id VARCHAR(64) NOT NULL PRIMARY KEY,
                  last_seq BIGINT UNSIGNED NOT NULL DEFAULT 0,
                  last_applied_at DATETIME(6) NULL,
                  last_created VARCHAR(40) NULL,
                  verdict VARCHAR(16) NOT NULL DEFAULT '\(Verdict.unchecked.rawValue)'
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                """),
        Migration(
            "applied-bundles", since: 1,
            sql: """
                CREATE TABLE IF NOT EXISTS salesync_applied (
                  branch_id VARCHAR(64) NOT NULL,
                  seq BIGINT UNSIGNED NOT NULL,
                  sha256 CHAR(64) NOT NULL,
                  row_count BIGINT UNSIGNED NOT NULL,
                  applied_at DATETIME(6) NOT NULL,
                  verdict VARCHAR(16) NOT NULL,
                  bytes BIGINT UNSIGNED NULL,
                  received_at DATETIME(6) NULL,
                  PRIMARY KEY (branch_id, seq)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                """),
        // Schema version 2 on a head office made by version 1 (the console shows them).
        Migration(
            "applied-bytes-and-arrival", since: 2,
            sql: """
                ALTER TABLE salesync_applied ADD COLUMN IF NOT EXISTS bytes BIGINT UNSIGNED NULL,
                  ADD COLUMN IF NOT EXISTS received_at DATETIME(6) NULL
                """),
        // The head office's own running row count and content hash per branch and table,
        // compared with the branch's after each bundle that carries one.
        Migration(
            "table-state", since: 1,
            sql: """
                CREATE TABLE IF NOT EXISTS salesync_table_state (
                  branch_id VARCHAR(64) NOT NULL,
                  table_name VARCHAR(64) NOT NULL,
                  state_rows BIGINT NOT NULL DEFAULT 0,
                  state_hash BIGINT UNSIGNED NOT NULL DEFAULT 0,
                  branch_rows BIGINT NULL,
                  branch_hash BIGINT UNSIGNED NULL,
                  PRIMARY KEY (branch_id, table_name)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                """),
        // Received chunks: the inbox is in the database so that any ingest process, on any host,
        // sees the same bundles, and a chunk is stored before its message is acknowledged.
        Migration(
            "inbox", since: 1,
            sql: """
                CREATE TABLE IF NOT EXISTS salesync_inbox (
                  branch_id VARCHAR(64) NOT NULL,
                  seq BIGINT UNSIGNED NOT NULL,
                  sha256 CHAR(64) NOT NULL,
                  chunk_count INT UNSIGNED NOT NULL,
                  chunk_index INT UNSIGNED NOT NULL,
                  bundle_size BIGINT UNSIGNED NOT NULL,
                  payload LONGBLOB NOT NULL,
                  received_at DATETIME(6) NOT NULL,
                  PRIMARY KEY (branch_id, seq, sha256, chunk_count, chunk_index)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                """),
        Migration(
            "outbound-acks", since: 1,
            sql: """
                CREATE TABLE IF NOT EXISTS salesync_outbound_acks (
                  branch_id VARCHAR(64) NOT NULL,
                  seq BIGINT UNSIGNED NOT NULL,
                  status VARCHAR(16) NOT NULL,
                  body BLOB NOT NULL,
                  created_at DATETIME(6) NOT NULL,
                  sent_at DATETIME(6) NULL,
                  PRIMARY KEY (branch_id, seq, status),
                  KEY unsent_idx (sent_at)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                """),
        Migration(
            "quarantine", since: 1,
            sql: """
                CREATE TABLE IF NOT EXISTS salesync_quarantine (
                  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
                  branch_id VARCHAR(64) NOT NULL,
                  seq BIGINT UNSIGNED NULL,
                  sha256 CHAR(64) NULL,
                  file VARCHAR(512) NOT NULL,
                  reason TEXT NOT NULL,
                  created_at DATETIME(6) NOT NULL,
                  status VARCHAR(16) NOT NULL DEFAULT '\(QuarantineStatus.open.rawValue)',
                  decided_by VARCHAR(64) NULL,
                  decided_at DATETIME(6) NULL
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                """),
        // The shape of each branch's table as its last applied bundle carried it (schema
        // changes: a dropped column is told from another branch's addition, and a changed shape
        // makes the head office recount its state for the branch).
        Migration(
            "table-state-shape", since: 2,
            sql: """
                ALTER TABLE salesync_table_state ADD COLUMN IF NOT EXISTS fingerprint CHAR(64) NULL,
                  ADD COLUMN IF NOT EXISTS columns_json MEDIUMTEXT NULL
                """),
        Migration(
            "schema-holds", since: 2,
            sql: """
                CREATE TABLE IF NOT EXISTS salesync_schema_holds (
                  branch_id VARCHAR(64) NOT NULL,
                  table_name VARCHAR(64) NOT NULL,
                  fingerprint CHAR(64) NOT NULL,
                  seq BIGINT UNSIGNED NOT NULL,
                  detail TEXT NOT NULL,
                  columns_json MEDIUMTEXT NOT NULL,
                  held_at DATETIME(6) NOT NULL,
                  accepted_by VARCHAR(64) NULL,
                  accepted_at DATETIME(6) NULL,
                  PRIMARY KEY (branch_id, table_name, fingerprint)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                """),
        // Who retried or dropped a bundle (console user or "cli:" and the Unix user); added to
        // quarantine tables made by salesync before the console existed.
        Migration(
            "quarantine-decisions", since: 2,
            sql: """
                ALTER TABLE salesync_quarantine ADD COLUMN IF NOT EXISTS decided_by VARCHAR(64) NULL,
                  ADD COLUMN IF NOT EXISTS decided_at DATETIME(6) NULL
                """),
        // A branch that went back in time (BundleApplier+WentBack.swift): from which bundle on,
        // since when, and what to tell people.
        Migration(
            "branch-went-back",
            sql: """
                ALTER TABLE salesync_branches ADD COLUMN IF NOT EXISTS went_back_seq BIGINT UNSIGNED NULL,
                  ADD COLUMN IF NOT EXISTS went_back_at DATETIME(6) NULL,
                  ADD COLUMN IF NOT EXISTS went_back_detail VARCHAR(512) NULL
                """),
        // Rejoining (RejoinCopy.swift): the branch's epoch, and the one its rejoin copy opened.
        Migration(
            "branch-epoch",
            sql: """
                ALTER TABLE salesync_branches ADD COLUMN IF NOT EXISTS epoch BIGINT UNSIGNED NOT NULL DEFAULT 0,
                  ADD COLUMN IF NOT EXISTS rejoin_epoch BIGINT UNSIGNED NULL,
                  ADD COLUMN IF NOT EXISTS rejoined_at DATETIME(6) NULL
                """),
        // A branch's key approved by an operator (BranchKeys.swift), replacing the configured one.
        Migration(
            "branch-keys",
            sql: """
                CREATE TABLE IF NOT EXISTS salesync_branch_keys (
                  branch_id VARCHAR(64) NOT NULL PRIMARY KEY,
                  public_key VARCHAR(64) NOT NULL,
                  approved_by VARCHAR(64) NOT NULL,
                  approved_at DATETIME(6) NOT NULL
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                """),
    ]

    /// The downlink (docs/downlink.md): the head office captures its own tables as a branch does
    /// its sales, with the branch's tables (and records its runs), then hands each master bundle
    /// to every branch as that branch's next downlink bundle.
    static let headOfficeDownlink: [Migration] =
        branchUplink.filter { ["capture-state", "capture-holes", "outbox-bundles", "run-records"].contains($0.name) } + [
            captureKeyHigh,
            Migration(
                "downlink-bundles",
                sql: """
                    CREATE TABLE IF NOT EXISTS salesync_downlink (
                      branch_id VARCHAR(64) NOT NULL,
                      seq BIGINT UNSIGNED NOT NULL,
                      master_seq BIGINT UNSIGNED NOT NULL,
                      kind VARCHAR(16) NOT NULL,
                      file VARCHAR(255) NOT NULL,
                      sha256 CHAR(64) NOT NULL,
                      bytes BIGINT UNSIGNED NOT NULL,
                      row_count BIGINT UNSIGNED NOT NULL,
                      created_at DATETIME(6) NOT NULL,
                      status VARCHAR(16) NOT NULL,
                      chunk_size INT UNSIGNED NOT NULL DEFAULT 0,
                      chunks_total INT UNSIGNED NOT NULL DEFAULT 0,
                      chunks_sent INT UNSIGNED NOT NULL DEFAULT 0,
                      sent_at DATETIME(6) NULL,
                      acked_at DATETIME(6) NULL,
                      verdict VARCHAR(16) NULL,
                      ack_detail VARCHAR(255) NULL,
                      tables VARCHAR(2048) NOT NULL DEFAULT '',
                      table_verdicts VARCHAR(4096) NULL,
                      PRIMARY KEY (branch_id, seq),
                      KEY status_idx (status, branch_id, seq)
                    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                    """),
            // A branch whose copy must be sent again whole (it drifted, or it was restored).
            Migration(
                "downlink-resync",
                sql: """
                    CREATE TABLE IF NOT EXISTS salesync_downlink_resync (
                      branch_id VARCHAR(64) NOT NULL PRIMARY KEY,
                      reason VARCHAR(255) NOT NULL,
                      requested_at DATETIME(6) NOT NULL
                    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                    """),
            // Where a bundle's frame lies in its distribution's pack (Distributor+Frames); NULL
            // for a bundle kept as a file of its own.
            Migration(
                "downlink-frame-packs",
                sql: """
                    ALTER TABLE salesync_downlink ADD COLUMN IF NOT EXISTS pack VARCHAR(255) NULL,
                      ADD COLUMN IF NOT EXISTS pack_offset BIGINT UNSIGNED NULL,
                      ADD COLUMN IF NOT EXISTS pack_length INT UNSIGNED NULL
                    """),
            // Each branch's last master bundle, read from one index entry per branch
            // (`Distributor.positions`) however many records the exports left.
            Migration(
                "downlink-master-index",
                sql: "ALTER TABLE salesync_downlink ADD INDEX IF NOT EXISTS master_idx (branch_id, master_seq)"),
        ]
}
