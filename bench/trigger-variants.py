#!/usr/bin/env python3
"""What each kind of capture trigger costs a single-row write, measured inside the server.

bench/capture.sh times writes sent by a client, which adds the client's and the socket's noise to
figures of a few microseconds. This one runs the writes in a stored procedure (one autocommit
INSERT, UPDATE or DELETE per loop turn, as a till does them) on a private MariaDB, for:

  none       no trigger;
  empty      triggers that do nothing (SET @x = 1): the floor of any capture by triggers;
  keys       triggers that log the key only (no old row: the state checksum would need a scan);
  md5        the triggers of salesync before copies: the old row hashed (MD5) in the trigger;
  salesync   the triggers `salesync init` installs now (the old row copied into the log).

Each variant REPEAT times, interleaved, medians reported, with the commit's flush (the till's
case) and without it (innodb_flush_log_at_trx_commit = 0: the CPU the triggers cost, steadier);
then a bulk LOAD DATA of M rows into each (the INSERT triggers, on logs of either width).

  python3 bench/trigger-variants.py [N] [REPEAT] [M]     (defaults 5000, 7, 200000)
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("SALESYNC_BIN", f"{ROOT}/.build/release/salesync")
N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
REPEAT = int(sys.argv[2]) if len(sys.argv) > 2 else 7
M = int(sys.argv[3]) if len(sys.argv) > 3 else 200000
W = tempfile.mkdtemp(prefix="salesync-triggers.")
SOCK = f"{W}/mariadb.sock"
COLS = ["id", "sale_date", "region", "product", "qty", "cost", "amt", "tax", "total"]


def sql(q, db=None):
    args = ["mariadb", "--protocol=socket", "-S", SOCK, "-uroot", "-N"] + ([db] if db else [])
    return subprocess.run(args, input=q, text=True, capture_output=True, check=True).stdout


def trigger(db, event, body):
    sql(f"DELIMITER //\nCREATE TRIGGER t_{event.lower()} AFTER {event} ON product_sales FOR EACH ROW {body} //\nDELIMITER ;\n", db)


def start_server():
    subprocess.run(["mariadb-install-db", "--user=root", f"--datadir={W}/data", "--auth-root-authentication-method=normal",
                    "--skip-test-db"], check=True, capture_output=True)
    server = subprocess.Popen(["mariadbd", "--no-defaults", "--user=root", f"--datadir={W}/data", f"--socket={SOCK}",
                               "--skip-networking", f"--log-error={W}/error.log", f"--secure-file-priv={W}",
                               "--innodb-buffer-pool-size=512M",
                               "--innodb-log-file-size=256M", "--innodb-flush-log-at-trx-commit=1",
                               "--character-set-server=utf8mb4", "--collation-server=utf8mb4_bin"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            sql("SELECT 1")
            return server
        except subprocess.CalledProcessError:
            time.sleep(0.5)
    sys.exit(f"trigger-variants: the private MariaDB did not start (see {W}/error.log)")


def md5_triggers(db):
    """salesync's triggers before copies: the old row's hash computed in the trigger."""
    log = "INSERT INTO salesync_log_1 (k1, dc, oh, nh) VALUES"
    oh = "CAST(CONV(LEFT(MD5(CONCAT_WS(',', " + ", ".join(f"QUOTE(OLD.`{c}`)" for c in COLS) + ")), 16), 16, 10) AS UNSIGNED)"
    def with_hash(entries):
        return f"BEGIN DECLARE CONTINUE HANDLER FOR 1054 {log} {entries('0', '1')}; {log} {entries(oh, '0')}; END"
    trigger(db, "INSERT", f"IF @salesync_quiet IS NULL THEN {log} (NEW.id, 1, 0, 0); END IF")
    trigger(db, "UPDATE", "IF @salesync_quiet IS NULL THEN IF NEW.id <=> OLD.id THEN "
            + with_hash(lambda h, n: f"(NEW.id, 0, {h}, {n})") + "; ELSE "
            + with_hash(lambda h, n: f"(OLD.id, -1, {h}, {n}), (NEW.id, 1, 0, 0)") + "; END IF; END IF")
    trigger(db, "DELETE", "IF @salesync_quiet IS NULL THEN " + with_hash(lambda h, n: f"(OLD.id, -1, {h}, {n})") + "; END IF")


def keys_triggers(db):
    log = "INSERT INTO salesync_log_1 (k1, dc, oh, nh) VALUES"
    trigger(db, "INSERT", f"IF @salesync_quiet IS NULL THEN {log} (NEW.id, 1, 0, 0); END IF")
    trigger(db, "UPDATE", f"IF @salesync_quiet IS NULL THEN IF NEW.id <=> OLD.id THEN {log} (NEW.id, 0, 0, 1); "
            f"ELSE {log} (OLD.id, -1, 0, 1), (NEW.id, 1, 0, 0); END IF; END IF")
    trigger(db, "DELETE", f"IF @salesync_quiet IS NULL THEN {log} (OLD.id, -1, 0, 1); END IF")


def salesync_triggers(db):
    """The real thing: `salesync init --offline` on this database (it contacts no broker)."""
    cfg = f"{W}/{db}.toml"
    with open(cfg, "w") as f:
        f.write(f'role = "branch"\nsite = "trig"\nstate_dir = "{W}/state"\nkey_file = "{W}/key"\n[database]\n'
                f'socket = "{SOCK}"\nuser = "root"\nname = "{db}"\ntables = ["product_sales"]\n[rabbitmq]\n'
                f'url = "amqp://salesync@127.0.0.1:1/"\npassword_file = "{W}/rabbit.password"\n')
    os.chmod(cfg, 0o600)
    if not os.path.exists(f"{W}/key"):
        subprocess.run([BIN, "keygen", "--out", f"{W}/key"], check=True, capture_output=True)
        with open(f"{W}/rabbit.password", "w") as f:
            f.write("unused\n")
        os.chmod(f"{W}/rabbit.password", 0o600)
    subprocess.run([BIN, "--config", cfg, "init", "--offline"], check=True, capture_output=True)


def setup(variant):
    db = f"v_{variant}"
    sql(f"CREATE DATABASE {db}")
    with open(f"{ROOT}/samples/product_sales.sql") as f:
        sql(f.read(), db)
    if variant == "salesync":
        salesync_triggers(db)
    elif variant != "none":
        # The log as salesync made it before copies (the variants without copies need no more).
        sql("CREATE TABLE salesync_log_1 (seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, k1 BIGINT UNSIGNED NOT NULL, "
            "dc TINYINT NOT NULL, oh BIGINT UNSIGNED NOT NULL, nh BIGINT UNSIGNED NOT NULL) ENGINE=InnoDB", db)
        if variant == "empty":
            for event in ("INSERT", "UPDATE", "DELETE"):
                trigger(db, event, "SET @x = 1")
        elif variant == "keys":
            keys_triggers(db)
        elif variant == "md5":
            md5_triggers(db)
    sql("""
DELIMITER //
CREATE PROCEDURE ins(n INT) BEGIN DECLARE i INT DEFAULT 1; WHILE i <= n DO
  INSERT INTO product_sales (id, sale_date, region, product, qty, cost, amt, tax, total)
  VALUES (i, '2026-11-26', 'Till', CONCAT('Item ', i % 97), 1 + i % 9, 2.50, 2.5 * (1 + i % 9), 0.18, 1.00);
  SET i = i + 1; END WHILE; END //
CREATE PROCEDURE upd(n INT) BEGIN DECLARE i INT DEFAULT 1; WHILE i <= n DO
  UPDATE product_sales SET qty = qty + 1, amt = amt + 2.50 WHERE id = i; SET i = i + 1; END WHILE; END //
CREATE PROCEDURE del(n INT) BEGIN DECLARE i INT DEFAULT 1; WHILE i <= n DO
  DELETE FROM product_sales WHERE id = i; SET i = i + 1; END WHILE; END //
DELIMITER ;
""", db)


def quiesce():
    """Purge done and no dirty page left, so no variant runs beside the previous one's clean-up."""
    sql("SET GLOBAL innodb_max_purge_lag_wait = 0; SET GLOBAL innodb_max_dirty_pages_pct = 0")
    for _ in range(300):
        if sql("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'").split()[1] == "0":
            break
        time.sleep(0.1)
    sql("SET GLOBAL innodb_max_dirty_pages_pct = 90")


def measure(variants, flush):
    sql(f"SET GLOBAL innodb_flush_log_at_trx_commit = {flush}")
    times = {}
    for _ in range(REPEAT):
        for v in variants:
            for op in ("ins", "upd", "del"):
                t = time.perf_counter()
                sql(f"CALL {op}({N})", f"v_{v}")
                times.setdefault((v, op), []).append((time.perf_counter() - t) * 1e6 / N)
            if v != "none":
                sql("TRUNCATE TABLE salesync_log_1", f"v_{v}")
            quiesce()
    return {k: statistics.median(x) for k, x in times.items()}


def measure_bulk(variants):
    """Seconds for a LOAD DATA of M rows into each variant's empty table (flushed, as a till's)."""
    sql("SET GLOBAL innodb_flush_log_at_trx_commit = 1")
    with open(f"{W}/bulk.tsv", "w") as f:
        for i in range(1, M + 1):
            f.write(f"{i}\t2026-11-{1 + i % 28:02d}\tNorth\tItem {i % 211}\t{1 + i % 9}\t2.50\t{2.5 * (1 + i % 9):.2f}\t0.18\t1.00\n")
    times = {}
    for _ in range(REPEAT):
        for v in variants:
            t = time.perf_counter()
            sql(f"LOAD DATA INFILE '{W}/bulk.tsv' INTO TABLE product_sales CHARACTER SET utf8mb4", f"v_{v}")
            times.setdefault(v, []).append(time.perf_counter() - t)
            sql("DELETE FROM product_sales" + ("" if v == "none" else "; TRUNCATE TABLE salesync_log_1"), f"v_{v}")
            quiesce()
    return {v: statistics.median(x) for v, x in times.items()}


def main():
    server = start_server()
    try:
        variants = ["none", "empty", "keys", "md5", "salesync"]
        for v in variants:
            setup(v)
        print(f"# Capture triggers by kind ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
              f"{N} single-row writes in a stored procedure, median of {REPEAT})\n")
        print(f"MariaDB {sql('SELECT VERSION()').strip()}. Each figure: µs per write, and in brackets what the triggers add to it.\n")
        for flush, label in ((1, "with the commit's flush (innodb_flush_log_at_trx_commit = 1: the till)"),
                             (0, "without it (= 0: the CPU alone)")):
            m = measure(variants, flush)
            print(f"## {label}\n")
            print("| triggers | INSERT | UPDATE | DELETE |")
            print("|---|---|---|---|")
            for v in variants:
                cells = [f"{m[v, op]:.1f}" + ("" if v == "none" else f" ({m[v, op] - m['none', op]:+.1f})")
                         for op in ("ins", "upd", "del")]
                print(f"| {v} | " + " | ".join(cells) + " |")
            print()
        b = measure_bulk(variants)
        print(f"## LOAD DATA of {M:,} rows (flushed)\n")
        print("| triggers | seconds | against none | µs added per row |")
        print("|---|---|---|---|")
        for v in variants:
            print(f"| {v} | {b[v]:.2f} | {b[v] / b['none']:.2f} | {(b[v] - b['none']) * 1e6 / M:.2f} |")
        print()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(W, ignore_errors=True)


if __name__ == "__main__":
    main()
