/// The page that corrects one sale.
struct EditPage: Sendable {
    let table: String
    let key: String
    let inputs: [InputView]
    /// The catalogue's product names for the product's list (empty: no catalogue).
    let catalogue: [String]
    /// Stored, not computed: Mustache reads a view's stored properties only.
    let hasCatalogue: Bool

    init(table: String, key: String, inputs: [InputView], catalogue: [String] = []) {
        self.table = table
        self.key = key
        self.inputs = inputs
        self.catalogue = catalogue
        hasCatalogue = !catalogue.isEmpty
    }
}
