import MariaDB

/// What the head office must do before applying a bundle whose columns differ from its table:
/// additive changes become DDL (a new column with the branch's default, a widened type), the
/// rest holds the branch's bundles with a reason until an operator accepts (docs/schema-changes.md).
struct SchemaPlan: Equatable {
    /// Statements to run first, in order (each commits implicitly; all are harmless to repeat).
    var ddl: [String] = []
    /// Why the bundle cannot be applied as it is (empty: it can).
    var holds: [String] = []
    /// The bundle can be applied to the table as it is.
    var isClean: Bool { ddl.isEmpty && holds.isEmpty }

    /// Nothing to do.
    init() {}

    /// - Parameters:
    ///   - bundle: the branch's table as this bundle carries it.
    ///   - previous: the branch's table as its last applied bundle carried it (nil: not known).
    ///   - ho: the head office's table, without `branch_id` (nil: it does not exist yet).
    ///   - accepted: an operator accepted this shape from this branch (`salesync schema accept`).
    ///   - create: how to create the table (a branch's copy of a head-office table has no `branch_id`).
    init(
        bundle: TableSchema, previous: TableSchema?, ho: TableSchema?, accepted: Bool,
        create: (TableSchema) -> String = HeadOfficeStore.createTableSQL
    ) {
        guard let ho else {
            ddl = [create(bundle)]
            return
        }
        let table = quoteIdentifier(bundle.name)
        let bundleKey = bundle.keyColumns.map(\.name), hoKey = ho.keyColumns.map(\.name)
        if bundleKey != hoKey {
            holds.append(
                "primary key changed: head office (\(hoKey.joined(separator: ", "))), branch (\(bundleKey.joined(separator: ", "))); change the head office's key to match, then accept"
            )
        }
        for c in bundle.columns {
            if let h = ho.columns.first(where: { $0.name == c.name }) {
                existing(c, h, previous: previous?.columns.first { $0.name == c.name }, table: table, accepted: accepted)
            } else {
                added(c, table: table, accepted: accepted)
            }
        }
        for h in ho.columns where !bundle.columns.contains(where: { $0.name == h.name }) {
            missing(h, previous: previous, table: table, accepted: accepted)
        }
    }

    /// A column both have: widen the head office's, or hold a narrowed or changed type.
    private mutating func existing(_ c: ColumnInfo, _ h: ColumnInfo, previous p: ColumnInfo?, table: String, accepted: Bool) {
        let (bt, ht) = (SQLType(c.type), SQLType(h.type))
        if let p, SQLType(p.type) != bt, !SQLType(p.type).fits(in: bt), !accepted {
            holds.append("column \(c.name): type changed at the branch from \(p.type) to \(c.type) (not a widening)")
            return
        }
        if c.collation != h.collation && c.collation != nil && h.collation != nil && !accepted {
            holds.append("column \(c.name): collation \(c.collation!) at the branch, \(h.collation!) at the head office")
            return
        }
        var target = h
        // Only a change at the branch (or a branch new to the table) moves the head office's type:
        // a column narrowed at the head office by hand stays so, and values it cannot hold are refused.
        let changedAtBranch = p.map { SQLType($0.type) != bt } ?? true
        if !bt.fits(in: ht) && changedAtBranch {
            guard ht.fits(in: bt) else {
                if !accepted { holds.append("column \(c.name): type \(c.type) at the branch does not fit the head office's \(h.type)") }
                return
            }
            target.type = c.type  // widen: every value the head office holds fits the branch's type
        }
        target.nullable = h.nullable || c.nullable
        if target != h { ddl.append("ALTER TABLE \(table) MODIFY COLUMN \(Database.columnDefinition(target))") }
    }

    /// A column the head office lacks: added with the default the branch's rows got.
    private mutating func added(_ c: ColumnInfo, table: String, accepted: Bool) {
        var col = c
        col.key = 0
        if let d = c.defaultValue, d.uppercased() != "NULL" {
            guard SQLDefault.isSafe(d) else { holds.append("column \(c.name): default \(d) is not a plain value"); return }
            if SQLDefault.isExpression(d) && !accepted {
                holds.append(
                    "column \(c.name): added with default \(d); the branch's existing rows got its clock, which the head office cannot reproduce"
                )
                return
            }
        } else if !c.nullable {
            // MariaDB gave the branch's existing rows the type's implicit default.
            switch c.kind {
            case .integer, .decimal: col.defaultValue = "0"
            case .bytes where SQLType(c.type).base.contains("char") || SQLType(c.type).base.contains("text"): col.defaultValue = "''"
            default:
                holds.append("column \(c.name): added NOT NULL without a default; its value for existing rows is not known")
                return
            }
        }
        ddl.append("ALTER TABLE \(table) ADD COLUMN IF NOT EXISTS \(Database.columnDefinition(col))")
    }

    /// A head-office column the bundle lacks: another branch's addition (fine), or one this branch
    /// dropped or renamed (held; accepted, it takes NULL from this branch on).
    private mutating func missing(_ h: ColumnInfo, previous: TableSchema?, table: String, accepted: Bool) {
        let dropped = previous?.columns.contains { $0.name == h.name } ?? false
        let loadable = h.nullable || h.defaultValue != nil
        if dropped && !accepted {
            holds.append(
                "column \(h.name): dropped or renamed at the branch; accept to keep the head office's column and take \(loadable ? "its default" : "NULL") from this branch on"
            )
        } else if !loadable {
            if !accepted {
                holds.append(
                    "column \(h.name): NOT NULL without a default at the head office, and this branch does not have it; accept to make it NULL-able"
                )
                return
            }
            var n = h
            n.nullable = true
            ddl.append("ALTER TABLE \(table) MODIFY COLUMN \(Database.columnDefinition(n))")
        }
    }
}
