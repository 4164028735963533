/// The Quarantine page.
struct QuarantinePage: Sendable {
    let entries: [QuarantineRow]
}
