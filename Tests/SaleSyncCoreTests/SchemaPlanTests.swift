import Testing

@testable import SaleSyncCore

/// How the head office answers a branch's changed table (docs/schema-changes.md), without servers.
@Suite struct SchemaPlanTests {
    func col(
        _ name: String, _ type: String, kind: ColumnKind = .bytes, nullable: Bool = false, key: Int = 0, def: String? = nil
    ) -> ColumnInfo {
        ColumnInfo(name: name, type: type, kind: kind, nullable: nullable, key: key, defaultValue: def)
    }

    var sales: TableSchema {
        TableSchema(
            name: "product_sales",
            columns: [
                col("id", "bigint(20) unsigned", kind: .integer, key: 1), col("region", "varchar(32)"),
                col("qty", "int(11)", kind: .integer), col("total", "decimal(14,2)", kind: .decimal),
            ])
    }

    func with(_ s: TableSchema, _ change: (inout [ColumnInfo]) -> Void) -> TableSchema {
        var t = s
        change(&t.columns)
        return t
    }

    @Test func widenings() {
        #expect(SQLType("int(11)").fits(in: SQLType("bigint(20)")))
        #expect(!SQLType("bigint(20)").fits(in: SQLType("int(11)")))
        #expect(!SQLType("int(10) unsigned").fits(in: SQLType("bigint(20)")))
        #expect(SQLType("varchar(32)").fits(in: SQLType("varchar(64)")))
        #expect(SQLType("decimal(12,2)").fits(in: SQLType("decimal(14,2)")))
        #expect(!SQLType("decimal(12,2)").fits(in: SQLType("decimal(14,3)")))
        #expect(SQLType("float").fits(in: SQLType("double")))
        #expect(SQLType("text").fits(in: SQLType("mediumtext")))
        #expect(!SQLType("int(11)").fits(in: SQLType("varchar(64)")))
        #expect(SQLType("int(11)").fits(in: SQLType("int(10)")))
    }

    @Test func theSameShapeNeedsNothing() {
        #expect(SchemaPlan(bundle: sales, previous: sales, ho: sales, accepted: false) == SchemaPlan())
    }

    @Test func additiveChangesBecomeDDL() {
        let grown = with(sales) { c in
            c[1].type = "varchar(64)"
            c[2].type = "bigint(20)"
            c.append(col("discount", "decimal(8,2)", kind: .decimal, def: "0.50"))
            c.append(col("note", "varchar(20)", nullable: true, def: "NULL"))
            c.append(col("points", "int(11)", kind: .integer))
        }
        let plan = SchemaPlan(bundle: grown, previous: sales, ho: sales, accepted: false)
        #expect(plan.holds.isEmpty)
        #expect(
            plan.ddl == [
                "ALTER TABLE `product_sales` MODIFY COLUMN `region` varchar(64) NOT NULL",
                "ALTER TABLE `product_sales` MODIFY COLUMN `qty` bigint(20) NOT NULL",
                "ALTER TABLE `product_sales` ADD COLUMN IF NOT EXISTS `discount` decimal(8,2) NOT NULL DEFAULT 0.50",
                "ALTER TABLE `product_sales` ADD COLUMN IF NOT EXISTS `note` varchar(20) NULL DEFAULT NULL",
                "ALTER TABLE `product_sales` ADD COLUMN IF NOT EXISTS `points` int(11) NOT NULL DEFAULT 0",
            ])
        // A branch still on the old shape fits the grown table as it is.
        let hoGrown = with(grown) { c in c[6].defaultValue = "0" }  // as the head office added it
        #expect(SchemaPlan(bundle: sales, previous: sales, ho: hoGrown, accepted: false) == SchemaPlan())
    }

    @Test func droppedNarrowedAndRekeyedAreHeldUntilAccepted() {
        let dropped = with(sales) { c in c.remove(at: 2) }
        let held = SchemaPlan(bundle: dropped, previous: sales, ho: sales, accepted: false)
        #expect(held.ddl.isEmpty && held.holds.count == 1 && held.holds[0].hasPrefix("column qty: dropped or renamed"))
        let accepted = SchemaPlan(bundle: dropped, previous: sales, ho: sales, accepted: true)
        #expect(accepted.holds.isEmpty && accepted.ddl == ["ALTER TABLE `product_sales` MODIFY COLUMN `qty` int(11) NULL"])

        let narrowed = with(sales) { c in c[1].type = "varchar(16)" }
        #expect(
            SchemaPlan(bundle: narrowed, previous: sales, ho: sales, accepted: false).holds.first?.contains(
                "from varchar(32) to varchar(16)") == true)
        #expect(SchemaPlan(bundle: narrowed, previous: sales, ho: sales, accepted: true) == SchemaPlan())

        let changed = with(sales) { c in c[3].type = "decimal(14,3)" }
        #expect(SchemaPlan(bundle: changed, previous: sales, ho: sales, accepted: false).holds.count == 1)

        let rekeyed = with(sales) { c in c[1].key = 2 }
        let plan = SchemaPlan(bundle: rekeyed, previous: sales, ho: sales, accepted: true)
        #expect(plan.holds.first?.hasPrefix("primary key changed") == true)
    }

    @Test func anotherBranchsColumnIsNotADrop() {
        let ho = with(sales) { c in c.append(col("discount", "decimal(8,2)", kind: .decimal, def: "0.50")) }
        #expect(SchemaPlan(bundle: sales, previous: sales, ho: ho, accepted: false) == SchemaPlan())
        // Without a default, the branch's rows could not be stored: held, then made NULL-able.
        let strict = with(sales) { c in c.append(col("code", "varchar(8)")) }
        #expect(
            SchemaPlan(bundle: sales, previous: sales, ho: strict, accepted: false).holds.first?.contains("NOT NULL without a default")
                == true)
    }

    @Test func expressionDefaultsAndUnsafeDefaults() {
        let stamped = with(sales) { c in c.append(col("at", "datetime", kind: .datetime, def: "current_timestamp()")) }
        #expect(SchemaPlan(bundle: stamped, previous: sales, ho: sales, accepted: false).holds.first?.contains("clock") == true)
        #expect(
            SchemaPlan(bundle: stamped, previous: sales, ho: sales, accepted: true).ddl.first?.hasSuffix("DEFAULT current_timestamp()")
                == true)
        let evil = with(sales) { c in c.append(col("x", "int(11)", kind: .integer, def: "1; DROP TABLE t")) }
        #expect(SchemaPlan(bundle: evil, previous: sales, ho: sales, accepted: true).holds.first?.contains("not a plain value") == true)
        #expect(SQLDefault.isSafe("'it''s'") && SQLDefault.isSafe("-1.5") && !SQLDefault.isSafe("'a' OR 1"))
    }

    @Test func theFingerprintIgnoresDefaults() {
        let a = with(sales) { c in c[1].defaultValue = "'North'" }
        #expect(a.fingerprint == sales.fingerprint)
        #expect(with(sales) { c in c[1].type = "varchar(33)" }.fingerprint != sales.fingerprint)
    }
}
