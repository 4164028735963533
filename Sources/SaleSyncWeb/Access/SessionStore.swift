import Crypto
import Foundation

/// Logged-in sessions, in memory: a restart logs everyone out, which is the safe failure.
actor SessionStore {
    private var sessions: [String: Session] = [:]
    private let timeout: TimeInterval

    init(timeout: TimeInterval) { self.timeout = timeout }

    /// A new session for `user`; returns its cookie value.
    func open(_ user: WebUser) -> String {
        purge()
        let id = Self.token()
        sessions[id] = Session(user: user, csrf: Self.token(), expires: Date().addingTimeInterval(timeout))
        return id
    }

    /// The live session for a cookie value, its lifetime extended.
    func find(_ id: String) -> Session? {
        guard var s = sessions[id] else { return nil }
        guard s.expires > Date() else { sessions[id] = nil; return nil }
        s.expires = Date().addingTimeInterval(timeout)
        sessions[id] = s
        return s
    }

    func close(_ id: String) { sessions[id] = nil }

    private func purge() {
        let now = Date()
        sessions = sessions.filter { $0.value.expires > now }
    }

    /// 256 random bits, URL- and cookie-safe.
    static func token() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
