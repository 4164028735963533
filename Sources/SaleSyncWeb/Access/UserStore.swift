import Foundation
import HummingbirdBcrypt
import SaleSyncCore

/// The console's users: one line per user, `name role bcrypt-hash`, in the file `[web] users_file`
/// names (mode 0600, written whole and renamed so a reader never sees half a file).
public struct UserStore: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The store named by the config, or a config error saying which key to set.
    public init(config: Config) throws {
        guard let p = config.web.usersFile else {
            throw SyncError.config("\(config.path): key web.users_file: required for the console (e.g. users_file = \"console-users\")")
        }
        path = p
    }

    public func load() throws -> [WebUser] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var users: [WebUser] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let f = line.split(separator: " ")
            guard f.count == 3, let role = WebRole(rawValue: String(f[1])) else {
                throw SyncError.config("\(path):\(n + 1): expected \"NAME ROLE HASH\" with ROLE viewer or operator")
            }
            users.append(WebUser(name: String(f[0]), role: role, hash: String(f[2])))
        }
        return users
    }

    /// Adds or replaces `name` with a bcrypt hash of `password`.
    public func add(name: String, role: WebRole, password: String) throws {
        guard name.range(of: #"^[A-Za-z0-9_.@-]{1,64}$"#, options: .regularExpression) != nil else {
            throw SyncError.data("user name: expected 1-64 letters, digits, '_', '.', '@' or '-', got \"\(name)\"")
        }
        guard password.count >= 8 else { throw SyncError.data("password: expected at least 8 characters") }
        let hash = Bcrypt.hash(password, cost: 12)
        try save(try load().filter { $0.name != name } + [WebUser(name: name, role: role, hash: hash)])
    }

    /// Removes `name`; false when there was no such user.
    public func remove(name: String) throws -> Bool {
        let users = try load()
        guard users.contains(where: { $0.name == name }) else { return false }
        try save(users.filter { $0.name != name })
        return true
    }

    /// The user whose password this is, or nil (unknown user or wrong password alike).
    public func verify(name: String, password: String) throws -> WebUser? {
        guard let u = try load().first(where: { $0.name == name }) else {
            _ = Bcrypt.verify(password, hash: Self.decoy)  // same time for unknown names
            return nil
        }
        return Bcrypt.verify(password, hash: u.hash) ? u : nil
    }

    private static let decoy = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5Xv6Xo6J/YE0hcm7B6wWzB7sQhaBqXy"

    private func save(_ users: [WebUser]) throws {
        let text = users.map { "\($0.name) \($0.role.rawValue) \($0.hash)\n" }.joined()
        let tmp = path + ".tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw SyncError.config("\(path): cannot write the users file")
        }
        guard rename(tmp, path) == 0 else { throw SyncError.config("\(path): cannot replace the users file") }
    }
}
