import Foundation
import MariaDB
import SaleSyncCore

/// The head office's catalogue at a branch (downlink tables), for the sale form: the products to
/// pick from, the price in force on a day, and a sale's amount, tax and total computed here, so
/// that what is saved never depends on what a browser computed.
struct Catalogue: Sendable {
    let config: CatalogueConfig

    /// Whether the add and edit forms of `table` go through the catalogue.
    func applies(to table: String) -> Bool { table == config.sales }

    /// The sales columns the clerk types (the computed ones, and the price unless the shop
    /// allows another, are left out).
    func typed(_ column: String) -> Bool {
        !config.computedColumns.contains(column) && (config.priceOverride || column != config.salePrice)
    }

    /// Product names for the form's list (none until the first downlink bundle made the table).
    func names(_ db: MariaDBConnection, limit: Int = 10_000) throws -> [String] {
        let c = config
        do {
            return try db.query(
                "SELECT \(quoteIdentifier(c.productName)) FROM \(quoteIdentifier(c.products)) ORDER BY 1 LIMIT ?", [.int(Int64(limit))]
            ).compactMap { $0[0] }
        } catch let e as MariaDBError where e.code == MariaDBError.Code.noSuchTable {
            return []
        }
    }

    /// A product's unit price in force on `date`, its tax rate (percent) and the first day of that price.
    struct Quote: Sendable, Equatable {
        var price: Decimal
        var taxRate: Decimal
        var since: String
    }

    func quote(_ db: MariaDBConnection, product: String, on date: String) throws -> Quote? {
        let c = config
        let p = "p.\(quoteIdentifier(c.priceFrom))"
        let r = try db.query(
            """
            SELECT p.\(quoteIdentifier(c.price)), pr.\(quoteIdentifier(c.productTax)), \(p)
            FROM \(quoteIdentifier(c.prices)) p JOIN \(quoteIdentifier(c.products)) pr
              ON pr.\(quoteIdentifier(c.productKey)) = p.\(quoteIdentifier(c.priceProduct))
            WHERE pr.\(quoteIdentifier(c.productName)) = ? AND \(p) <= ? ORDER BY \(p) DESC LIMIT 1
            """, [.text(product), .text(date)]
        ).first
        guard let r, let price = r[0].flatMap(Self.decimal), let rate = r[1].flatMap(Self.decimal) else { return nil }
        return Quote(price: price, taxRate: rate, since: r[2] ?? "")
    }

    /// `form` with the unit price (from the price list, or the clerk's where allowed), amount,
    /// tax and total filled; `FilterError` names the field that stops it.
    func complete(_ form: FormData, _ db: MariaDBConnection) throws -> FormData {
        let c = config
        guard let product = form.nonEmpty(c.saleProduct) else { throw FilterError(field: c.saleProduct, message: "required") }
        guard let date = form.nonEmpty(c.saleDate) else { throw FilterError(field: c.saleDate, message: "required") }
        guard date.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil, CivilDateCheck.valid(date) else {
            throw FilterError(field: c.saleDate, message: "expected a date YYYY-MM-DD, got \"\(date)\"")
        }
        let qtyText = form.nonEmpty(c.saleQuantity) ?? ""
        guard let qty = Int(qtyText), qty != 0, abs(qty) <= 1_000_000 else {
            throw FilterError(field: c.saleQuantity, message: "expected a whole number other than 0, got \"\(qtyText)\"")
        }
        guard let quote = try quote(db, product: product, on: date) else {
            if try names(db, limit: 1).isEmpty { throw FilterError(field: c.saleProduct, message: "the catalogue has not arrived yet") }
            throw FilterError(
                field: c.saleProduct, message: "expected a product of the catalogue with a price on \(date), got \"\(product)\"")
        }
        var price = quote.price
        if let typed = form.nonEmpty(c.salePrice), c.priceOverride {
            guard let p = Self.decimal(typed), p >= 0 else {
                throw FilterError(field: c.salePrice, message: "expected a price like 12.50, got \"\(typed)\"")
            }
            price = p
        }
        let amount = Self.cents(price * Decimal(qty))
        let tax = Self.cents(amount * quote.taxRate / 100)
        var out = form
        out.set(c.salePrice, Self.text(price))
        out.set(c.saleAmount, Self.text(amount))
        out.set(c.saleTax, Self.text(tax))
        out.set(c.saleTotal, Self.text(amount + tax))
        return out
    }

    static func decimal(_ s: String) -> Decimal? {
        guard s.range(of: #"^-?\d+(\.\d+)?$"#, options: .regularExpression) != nil else { return nil }
        return Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// Rounded to cents, halves away from zero (as a till rounds).
    static func cents(_ d: Decimal) -> Decimal {
        var v = d
        var out = Decimal()
        NSDecimalRound(&out, &v, 2, .plain)
        return out
    }

    /// Two decimals, a point, no grouping: what the DECIMAL columns take.
    static func text(_ d: Decimal) -> String {
        let s = NSDecimalNumber(decimal: cents(d)).stringValue
        guard let dot = s.firstIndex(of: ".") else { return s + ".00" }
        let decimals = s.distance(from: dot, to: s.endIndex) - 1
        return decimals >= 2 ? s : s + String(repeating: "0", count: 2 - decimals)
    }

    /// The price list in force on `date`: every product (name containing `text`), its price, the
    /// day that price began, its tax rate; at most `limit` lines.
    func priceList(_ db: MariaDBConnection, containing text: String, on date: String, limit: Int) throws -> [PricesPage.Line] {
        let c = config
        let (pr, p) = ("pr.", "p.")
        let key = quoteIdentifier(c.priceProduct), from = quoteIdentifier(c.priceFrom)
        do {
            return try db.query(
                """
                SELECT \(pr)\(quoteIdentifier(c.productName)), \(p)\(quoteIdentifier(c.price)), \(p)\(from), \(pr)\(quoteIdentifier(c.productTax))
                FROM \(quoteIdentifier(c.products)) pr LEFT JOIN \(quoteIdentifier(c.prices)) p
                  ON \(p)\(key) = \(pr)\(quoteIdentifier(c.productKey)) AND \(p)\(from) =
                    (SELECT MAX(x.\(from)) FROM \(quoteIdentifier(c.prices)) x WHERE x.\(key) = \(p)\(key) AND x.\(from) <= ?)
                WHERE \(pr)\(quoteIdentifier(c.productName)) LIKE ? ORDER BY 1 LIMIT ?
                """, [.text(date), .text(SalesFilter.containing(text)), .int(Int64(limit))]
            ).map { r in PricesPage.Line(name: r[0] ?? "", price: r[1] ?? "no price", since: r[2] ?? "–", taxRate: r[3] ?? "") }
        } catch let e as MariaDBError where e.code == MariaDBError.Code.noSuchTable {
            return []
        }
    }
}
