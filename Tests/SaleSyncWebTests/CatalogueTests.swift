import Foundation
import SaleSyncCore
import Testing

@testable import SaleSyncWeb

/// The catalogue's money arithmetic, without a database: cents, rounding, text for DECIMAL columns.
@Suite struct CatalogueTests {
    @Test func centsRoundHalvesAwayFromZeroAndTextAlwaysHasTwoDecimals() {
        #expect(Catalogue.text(Catalogue.cents(Decimal(string: "0.625")!)) == "0.63")
        #expect(Catalogue.text(Catalogue.cents(Decimal(string: "0.624")!)) == "0.62")
        #expect(Catalogue.text(Catalogue.cents(Decimal(string: "-0.625")!)) == "-0.63")
        #expect(Catalogue.text(Decimal(string: "6.3")!) == "6.30")
        #expect(Catalogue.text(Decimal(12)) == "12.00")
    }

    @Test func decimalAcceptsPlainNumbersOnly() {
        #expect(Catalogue.decimal("2.10") == Decimal(string: "2.10"))
        #expect(Catalogue.decimal("-3") == Decimal(-3))
        for bad in ["", "1,5", "1e3", "abc", "1.2.3", " 1"] { #expect(Catalogue.decimal(bad) == nil, "\(bad)") }
    }

    @Test func theFormTypesNeitherTheTotalsNorThePriceUnlessTheShopAllowsIt() {
        var config = CatalogueConfig()
        let strict = Catalogue(config: config)
        #expect(strict.typed("product") && strict.typed("qty"))
        #expect(!strict.typed("cost") && !strict.typed("amt") && !strict.typed("tax") && !strict.typed("total"))
        config.priceOverride = true
        let lenient = Catalogue(config: config)
        #expect(lenient.typed("cost") && !lenient.typed("total"))
    }
}
