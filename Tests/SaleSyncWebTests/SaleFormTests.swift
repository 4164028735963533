import MariaDB
import Testing

@testable import SaleSyncWeb

@Suite struct SaleFormTests {
    let form = SaleForm(table: sales)

    func refusal(_ query: String) -> FilterError? {
        do { _ = try form.insertValues(FormData(query)); return nil } catch { return error as? FilterError }
    }

    @Test func aGoodSaleBecomesTypedValues() throws {
        let v = try form.insertValues(FormData("sale_date=2024-02-29&region=Nord&qty=-3&total=1234.5&note="))
        #expect(v.map(\.0.name) == ["branch_id", "sale_date", "region", "qty", "total", "note"].filter { $0 != "branch_id" })
        #expect(v.map(\.1) == [.text("2024-02-29"), .text("Nord"), .int(-3), .text("1234.5"), .null])
    }

    @Test func eachBadFieldIsNamedWithWhatWasExpected() {
        #expect(refusal("sale_date=2024-02-29&region=Nord&qty=abc&total=1")?.field == "qty")
        #expect(refusal("sale_date=2024-02-29&region=Nord&qty=3000000000&total=1")?.message.contains("-2147483648 to 2147483647") == true)
        #expect(refusal("sale_date=2024-02-29&region=Nord&qty=1&total=1.234")?.message.contains("at most 2 digit(s) after") == true)
        #expect(
            refusal("sale_date=2024-02-29&region=Nord&qty=1&total=1234567890123.5")?.message.contains("at most 12 digit(s) before") == true)
        #expect(refusal("sale_date=2023-02-29&region=Nord&qty=1&total=1")?.field == "sale_date")
        #expect(
            refusal("sale_date=2024-02-29&region=\(String(repeating: "x", count: 33))&qty=1&total=1")?.message
                == "at most 32 characters, got 33")
        #expect(refusal("sale_date=2024-02-29&qty=1&total=1")?.message == "required")
        #expect(refusal("sale_date=2024-02-29&region=Nord&qty=1&total=1&note=" + String(repeating: "ü", count: 10)) == nil)
    }

    @Test func anEditNeedsEveryRequiredValueAndTheRowsKey() throws {
        #expect(throws: FilterError.self) { try form.updateValues(FormData("sale_date=2024-01-01&region=&qty=1&total=1")) }
        let key = SaleForm.keyText(["42"])
        #expect(try form.key(FormData("key=" + FormData.encode(key))) == [.text("42")])
        #expect(throws: FilterError.self) { try form.key(FormData("key=" + FormData.encode(SaleForm.keyText(["bo1", "42"])))) }
        #expect(throws: FilterError.self) { try form.key(FormData("key=42")) }
    }
}
