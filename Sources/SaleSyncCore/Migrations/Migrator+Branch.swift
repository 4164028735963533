import MariaDB

extension Migrator {
    /// A branch's tables: capture state per table, holes in the change logs, the outbox's
    /// bundles and the run records. (Per-table change logs and triggers follow the configured
    /// tables: Capture.install.)
    static let branch: [Migration] = branchUplink + branchDownlink + branchRejoin + [binlogPosition]

    /// `[capture] mode = "binlog"`: how far the binary log went into the change logs (no row:
    /// the mode is off). `quiet` is bumped first thing by a transaction of salesync's own whose
    /// writes to synced tables must not be captured (`salesync rejoin`): the reader sees its row
    /// event in that transaction (BinlogFeed).
    static let binlogPosition = Migration(
        "binlog-position",
        sql: """
            CREATE TABLE IF NOT EXISTS salesync_binlog (
              id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
              file VARCHAR(255) NOT NULL,
              pos BIGINT UNSIGNED NOT NULL,
              quiet BIGINT UNSIGNED NOT NULL DEFAULT 0
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """)

    /// What a branch needs to capture and send its own tables.
    static let branchUplink: [Migration] = [
        Migration(
            "capture-state", since: 1,
            sql: """
                CREATE TABLE IF NOT EXISTS salesync_capture (
                  table_id SMALLINT UNSIGNED NOT NULL PRIMARY KEY,
                  table_name VARCHAR(64) NOT NULL UNIQUE,
                  fingerprint CHAR(64) NOT NULL,
                  watermark BIGINT UNSIGNED NOT NULL DEFAULT 0,
                  snapshot_done TINYINT NOT NULL DEFAULT 0,
                  state_rows BIGINT NOT NULL DEFAULT 0,
                  state_hash BIGINT UNSIGNED NOT NULL DEFAULT 0
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                """),
        // Change-log positions not visible when an export ran although later ones were:
        // transactions still open then (or rolled back). Read again by every export until settled.
        Migration(
            "capture-holes", since: 1,
            sql: """
                CREATE TABLE IF NOT EXISTS salesync_holes (
                  table_id SMALLINT UNSIGNED NOT NULL,
                  lo BIGINT UNSIGNED NOT NULL,
                  hi BIGINT UNSIGNED NOT NULL,
                  seen_at DATETIME(6) NOT NULL,
                  PRIMARY KEY (table_id, lo)
                ) ENGINE=InnoDB
                """),
        Migration(
            "outbox-bundles", since: 1,
            sql: """
                CREATE TABLE IF NOT EXISTS salesync_bundles (
                  seq BIGINT UNSIGNED NOT NULL PRIMARY KEY,
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
                  ack_detail VARCHAR(255) NULL,
                  KEY status_idx (status, seq)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                """),
        Migration(
            "run-records", since: 1,
            sql: """
                CREATE TABLE IF NOT EXISTS salesync_runs (
                  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
                  command VARCHAR(32) NOT NULL,
                  started_at DATETIME(6) NOT NULL,
                  ended_at DATETIME(6) NULL,
                  outcome VARCHAR(255) NULL
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
                """),
    ]

    /// What a branch needs to take the head office's downlink: the bundles applied, and the
    /// chunks of those still arriving (in the head office's inbox table: one sender's bundles).
    static let branchDownlink: [Migration] =
        [
            // Downlink bundles applied (docs/downlink.md): the row commits with the bundle's rows, so a
            // bundle is applied exactly once whatever instant the process is killed at.
            Migration(
                "downlink-applied",
                sql: """
                    CREATE TABLE IF NOT EXISTS salesync_downlink_applied (
                      seq BIGINT UNSIGNED NOT NULL PRIMARY KEY,
                      sha256 CHAR(64) NOT NULL,
                      kind VARCHAR(16) NOT NULL,
                      row_count BIGINT UNSIGNED NOT NULL,
                      created_at VARCHAR(32) NOT NULL,
                      applied_at DATETIME(6) NOT NULL,
                      verdict VARCHAR(16) NOT NULL,
                      ack_body BLOB NOT NULL,
                      ack_sent_at DATETIME(6) NULL
                    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                    """),
            // When each head-office table's whole state was last compared (downlink.check_every).
            Migration(
                "downlink-checks",
                sql: """
                    CREATE TABLE IF NOT EXISTS salesync_downlink_checks (
                      table_name VARCHAR(64) NOT NULL PRIMARY KEY,
                      checked_at DATETIME(6) NOT NULL,
                      verdict VARCHAR(16) NOT NULL
                    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                    """),
            // The acknowledgements owed (`DownlinkApplier.owedAcks`) found without reading every
            // bundle ever applied.
            Migration(
                "downlink-acks-owed-index",
                sql: "ALTER TABLE salesync_downlink_applied ADD INDEX IF NOT EXISTS owed_idx (ack_sent_at, seq)"),
        ] + headOfficeUplink.filter { $0.name == "inbox" }

    /// Rejoining after going back in time (docs/operations.md): per bundle the highest integer
    /// key of each table when it was exported (which keys the branch had handed out before it
    /// went back), and each rejoin.
    static let branchRejoin: [Migration] = [
        captureKeyHigh,
        Migration(
            "rejoins",
            sql: """
                CREATE TABLE IF NOT EXISTS salesync_rejoins (
                  epoch BIGINT UNSIGNED NOT NULL PRIMARY KEY,
                  base_seq BIGINT UNSIGNED NOT NULL,
                  downlink_seq BIGINT UNSIGNED NOT NULL,
                  sha256 CHAR(64) NOT NULL,
                  applied_at DATETIME(6) NOT NULL,
                  report MEDIUMTEXT NOT NULL
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                """),
        // Bundles found lost with state_dir (Exporter.stateLost): the database is the whole truth.
        Migration(
            "state-lost",
            sql: """
                CREATE TABLE IF NOT EXISTS salesync_state_lost (
                  first_seq BIGINT UNSIGNED NOT NULL PRIMARY KEY,
                  found_at DATETIME(6) NOT NULL
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
                """),
    ]

    /// Also the head office's (its downlink capture runs the same exporter).
    static let captureKeyHigh = Migration(
        "bundle-key-highs", sql: "ALTER TABLE salesync_bundles ADD COLUMN IF NOT EXISTS key_highs VARCHAR(2048) NULL")
}
