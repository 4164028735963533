import Foundation

/// `[web.catalogue]` (branch): the sale form picks the product from the head office's catalogue
/// (downlink tables) and the server fills the price in force and the totals (docs/console.md).
/// Every key names a table or column; the defaults are the reference schema's.
public struct CatalogueConfig: Sendable, Equatable {
    public var products = "products"
    public var productKey = "id"
    public var productName = "name"
    /// The product's tax rate in percent.
    public var productTax = "tax_rate"
    public var prices = "prices"
    public var priceProduct = "product_id"
    /// The first day a price is in force; the latest one not after the sale's date applies.
    public var priceFrom = "valid_from"
    public var price = "price"
    /// The sales table the form fills, and its columns.
    public var sales = "product_sales"
    public var saleDate = "sale_date"
    public var saleProduct = "product"
    public var saleQuantity = "qty"
    public var salePrice = "cost"
    public var saleAmount = "amt"
    public var saleTax = "tax"
    public var saleTotal = "total"
    /// The clerk may type another unit price (a shop's discretion); amount, tax and total are
    /// always computed by the server.
    public var priceOverride = false

    public init() {}

    /// The sales columns the server computes (never typed).
    public var computedColumns: [String] { [saleAmount, saleTax, saleTotal] }
}

extension Config {
    mutating func readCatalogue(_ t: TableReader) throws {
        var c = CatalogueConfig()
        let keys: [(String, WritableKeyPath<CatalogueConfig, String>)] = [
            ("products", \.products), ("product_key", \.productKey), ("product_name", \.productName), ("product_tax", \.productTax),
            ("prices", \.prices), ("price_product", \.priceProduct), ("price_from", \.priceFrom), ("price", \.price),
            ("sales", \.sales), ("sale_date", \.saleDate), ("sale_product", \.saleProduct), ("sale_quantity", \.saleQuantity),
            ("sale_price", \.salePrice), ("sale_amount", \.saleAmount), ("sale_tax", \.saleTax), ("sale_total", \.saleTotal),
        ]
        for (key, path) in keys {
            if let v = try t.string(key) { c[keyPath: path] = v }
        }
        c.priceOverride = try t.bool("price_override") ?? false
        try t.finish()
        web.catalogue = c
    }
}
