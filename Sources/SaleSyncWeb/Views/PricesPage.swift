import SaleSyncCore

/// A branch's Prices page: what the head office's catalogue holds here and since when.
struct PricesPage: Sendable {
    struct Line: Sendable {
        let name: String
        let price: String
        let since: String
        let taxRate: String
    }
    let q: String
    let date: String
    let lines: [Line]
    let more: Bool
    /// The last downlink bundle applied, as one line ("bundle 12 applied at …").
    let received: String
}
