/// A console user as the users file holds it.
public struct WebUser: Sendable, Equatable {
    public var name: String
    public var role: WebRole
    /// bcrypt hash of the password.
    public var hash: String

    public var mayAct: Bool { role == .operator }
}
