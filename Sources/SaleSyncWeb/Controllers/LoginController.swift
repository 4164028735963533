import Foundation
import Hummingbird

/// The login form (with its own CSRF token in a cookie, as no session exists yet), signing in,
/// signing out.
struct LoginController: Sendable {
    let services: ConsoleServices
    let users: UserStore
    let sessions: SessionStore

    static let loginCookie = "salesync_login"

    func addRoutes(to router: Router<ConsoleContext>) {
        router.get("/login") { request, _ in
            loginPage(next: FormData(request.uri.query ?? "")["next"] ?? "/", error: nil, status: .ok)
        }
        router.post("/login") { request, _ in try await signIn(request) }
        router.post("/logout") { _, context in
            if let id = context.sessionID { await sessions.close(id) }
            var r = Response.redirect(to: "/login", type: .found)
            r.setCookie(Cookie(name: AccessMiddleware.cookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
            return r
        }
    }

    func signIn(_ request: Request) async throws -> Response {
        var request = request
        let form = FormData(String(buffer: try await request.collectBody(upTo: 1 << 16)))
        let next = Self.safeNext(form["next"])
        guard let token = request.cookies[Self.loginCookie]?.value, form["csrf"] == token else {
            return loginPage(next: next, error: "The form's security token is missing or stale; try again.", status: .forbidden)
        }
        let name = form["user"] ?? "", password = form["password"] ?? ""
        let store = users
        guard let user = try await Offload.run({ try store.verify(name: name, password: password) }) else {
            services.logger.notice("console: failed sign-in for \"\(name.prefix(64))\"")
            return loginPage(next: next, error: "Unknown user or wrong password.", status: .unauthorized)
        }
        let id = await sessions.open(user)
        var r = Response.redirect(to: next, type: .found)
        r.setCookie(
            Cookie(
                name: AccessMiddleware.cookie, value: id, path: "/", secure: services.config.web.certFile != nil, httpOnly: true,
                sameSite: .strict))
        services.logger.info("console: \(user.name) signed in")
        return r
    }

    func loginPage(next: String, error: String?, status: HTTPResponse.Status) -> Response {
        let pages = services.pages
        let token = SessionStore.token()
        let body = pages.library.render(LoginView(loginToken: token, next: Self.safeNext(next)), withTemplate: "login") ?? ""
        var r = pages.html(pages.layout(body: body, title: "Sign in", user: nil, csrf: nil, path: "/login", error: error), status: status)
        r.setCookie(Cookie(name: Self.loginCookie, value: token, path: "/login", httpOnly: true, sameSite: .strict))
        return r
    }

    /// Only a path on this console (no `//host` or `https:`): an open redirect is refused.
    static func safeNext(_ next: String?) -> String {
        guard let n = next, n.hasPrefix("/"), !n.hasPrefix("//"), !n.contains("\\") else { return "/" }
        return n
    }
}
