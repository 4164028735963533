/// One input of the add or edit form.
struct InputView: Sendable {
    let name: String
    let value: String
    let required: Bool
    let isDate: Bool
    let type: String
    let size: Int
    /// The id of the datalist to pick from (the catalogue's products), if any.
    let list: String?
    let placeholder: String?

    init(_ c: SalesColumn, value: String, list: String? = nil, placeholder: String? = nil) {
        name = c.name
        self.value = value
        required = c.required
        isDate = c.kind == .date
        type = c.type
        size = c.kind == .text ? min(max(c.length ?? 20, 8), 40) : 12
        self.list = list
        self.placeholder = placeholder
    }

    /// The inputs of `form`, through the catalogue where it fills the sales table: the computed
    /// columns left out, the product picked from the catalogue's list.
    static func inputs(_ form: SaleForm, catalogue: Catalogue?, value: (SalesColumn) -> String) -> [InputView] {
        guard let catalogue, catalogue.applies(to: form.table.name) else { return form.inputs.map { InputView($0, value: value($0)) } }
        let c = catalogue.config
        return form.inputs.filter { catalogue.typed($0.name) }.map { col in
            InputView(
                col, value: value(col), list: col.name == c.saleProduct ? "catalogue" : nil,
                placeholder: col.name == c.salePrice ? "from the price list" : nil)
        }
    }
}
