import Foundation
import Hummingbird
import Mustache
import SaleSyncCore

/// Renders the console's pages (a body template inside the layout) and its JSON answers.
struct Pages: Sendable {
    let library: MustacheLibrary
    let site: String
    let role: Role
    /// The navigation: label per path, in order.
    let nav: [(String, String)]

    init(site: String, role: Role, nav: [(String, String)] = []) throws {
        var lib = MustacheLibrary()
        for (name, text) in Templates.parts { try lib.register(text, named: name) }
        // A page's template sees its view model as `content` (PageView).
        for (name, text) in Templates.pages { try lib.register("{{#content}}" + text + "{{/content}}", named: name) }
        library = lib
        self.site = site
        self.role = role
        self.nav = nav
    }

    /// The pages a site's console has: the Distribution view with a downlink at the head office,
    /// the Prices page with a catalogue at a branch.
    static func nav(_ config: Config) -> [(String, String)] {
        config.role == .headOffice
            ? [("/", "Branches"), ("/sales", "Sales"), ("/quarantine", "Quarantine")]
                + (config.downlink.isEnabled ? [("/distribution", "Distribution")] : [])
            : [("/", "Sales")] + (config.web.catalogue != nil ? [("/prices", "Prices")] : []) + [("/sync", "Sync")]
    }

    /// `template` rendered with `content`, inside the layout with the user's name and the navigation.
    func page<Content: Sendable>(
        _ template: String, _ content: Content, title: String, context: ConsoleContext, path: String,
        status: HTTPResponse.Status = .ok, notice: String? = nil, error: String? = nil,
        refresh: Int? = nil
    ) -> Response {
        let view = PageView(csrf: context.csrf ?? "", mayAct: context.user?.mayAct ?? false, content: content)
        let body = library.render(view, withTemplate: template) ?? ""
        return html(
            layout(
                body: body, title: title, user: context.user, csrf: context.csrf, path: path,
                notice: notice, error: error, refresh: refresh), status: status)
    }

    func layout(
        body: String, title: String, user: WebUser?, csrf: String?, path: String,
        notice: String? = nil, error: String? = nil, refresh: Int? = nil
    ) -> String {
        let view = LayoutView(
            body: body, title: title, site: site, roleLabel: role == .headOffice ? "head office" : "branch",
            user: user?.name, userRole: user?.role.rawValue ?? "", csrf: csrf ?? "",
            nav: user == nil ? [] : nav.map { NavLink(href: $0.0, label: $0.1, active: $0.0 == path) },
            notice: notice, error: error, refresh: refresh)
        return library.render(view, withTemplate: "layout") ?? ""
    }

    func error(_ status: HTTPResponse.Status, _ message: String, user: WebUser?) -> Response {
        let body = library.render(MessageView(message: message), withTemplate: "error") ?? ""
        return html(layout(body: body, title: "\(status.code) \(status.reasonPhrase)", user: user, csrf: nil, path: ""), status: status)
    }

    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        // Nothing from elsewhere: no scripts at all, styles and images only inline.
        headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.text + "\n")))
    }

    func json(_ object: [String: String], status: HTTPResponse.Status) -> Response {
        json(.object(object.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }), status: status)
    }
}
