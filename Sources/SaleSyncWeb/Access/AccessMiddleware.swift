import Foundation
import Hummingbird

/// Who may see and do what: pages need a session cookie (else the login page), `/api/` needs
/// HTTP Basic credentials (else 401), every POST needs the session's CSRF token and an operator
/// (else 403). Runs before every route.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = ConsoleContext
    let sessions: SessionStore
    let users: UserStore
    let credentials: CredentialCache
    let pages: Pages

    static let cookie = "salesync_session"

    func handle(
        _ request: Request, context: ConsoleContext,
        next: (Request, ConsoleContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let path = request.uri.path
        if path == "/login" || path == "/favicon.ico" { return try await next(request, context) }
        if path.hasPrefix("/api/") {
            guard let user = try await basicUser(request) else {
                var r = pages.json(["error": "valid credentials required (HTTP Basic, a console user)"], status: .unauthorized)
                r.headers[.wwwAuthenticate] = "Basic realm=\"salesync\", charset=\"UTF-8\""
                return r
            }
            guard request.method == .get else { return pages.json(["error": "the API is read-only (GET)"], status: .methodNotAllowed) }
            context.user = user
            return try await next(request, context)
        }
        guard let id = request.cookies[Self.cookie]?.value, let session = await sessions.find(id) else {
            if request.method == .get { return Response.redirect(to: "/login?next=" + FormData.encode(request.uri.description)) }
            return pages.error(.unauthorized, "Your session has ended; sign in again.", user: nil)
        }
        // The users file decides on every request: a removed user is out, a changed role applies at once.
        guard let user = try users.load().first(where: { $0.name == session.user.name }) else {
            await sessions.close(id)
            return Response.redirect(to: "/login")
        }
        context.user = user
        context.csrf = session.csrf
        context.sessionID = id
        var request = request
        if request.method == .post {
            let form = FormData(String(buffer: try await request.collectBody(upTo: 1 << 20)))
            guard form["csrf"] == session.csrf else {
                return pages.error(.forbidden, "The form's security token is missing or stale; reload the page and try again.", user: user)
            }
            guard user.mayAct || path == "/logout" else {
                return pages.error(.forbidden, "\(user.name) is a viewer: viewers cannot change anything.", user: user)
            }
        }
        return try await next(request, context)
    }

    private func basicUser(_ request: Request) async throws -> WebUser? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let pair = String(data: data, encoding: .utf8), let colon = pair.firstIndex(of: ":")
        else { return nil }
        return try await credentials.user(name: String(pair[..<colon]), password: String(pair[pair.index(after: colon)...]), store: users)
    }
}
