import Crypto
import Foundation

/// Remembers, for a few minutes, HTTP Basic credentials already checked, so a script calling the
/// API does not pay bcrypt's deliberate ~0.25 s on every request. Keys are SHA-256 digests, never
/// the passwords themselves.
actor CredentialCache {
    private var checked: [String: (user: WebUser, until: Date)] = [:]
    private let lifetime: TimeInterval = 300

    func user(name: String, password: String, store: UserStore) throws -> WebUser? {
        let key = SHA256.hash(data: Data("\(name)\u{0}\(password)".utf8)).map { String(format: "%02x", $0) }.joined()
        // A hit counts only while the file still has the user with the same hash and role
        // (removed users and changed passwords take effect at once).
        if let hit = checked[key], hit.until > Date() {
            return try store.load().first(where: { $0 == hit.user })
        }
        guard let u = try store.verify(name: name, password: password) else { return nil }
        if checked.count > 1000 { checked = checked.filter { $0.value.until > Date() } }
        checked[key] = (u, Date().addingTimeInterval(lifetime))
        return u
    }
}
