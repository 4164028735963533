/// The page that corrects one sale.
struct EditPage: Sendable {
    let table: String
    let key: String
    let inputs: [InputView]
}
