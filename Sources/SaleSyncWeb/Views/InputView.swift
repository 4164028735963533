/// One input of the add or edit form.
struct InputView: Sendable {
    let name: String
    let value: String
    let required: Bool
    let isDate: Bool
    let type: String
    let size: Int

    init(_ c: SalesColumn, value: String) {
        name = c.name
        self.value = value
        required = c.required
        isDate = c.kind == .date
        type = c.type
        size = c.kind == .text ? min(max(c.length ?? 20, 8), 40) : 12
    }
}
