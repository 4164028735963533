import Foundation

/// One logged-in browser: who, their CSRF token, and when it lapses.
public struct Session: Sendable {
    public var user: WebUser
    /// Put in every form as `csrf` and checked on every POST.
    public var csrf: String
    public var expires: Date
}
