/// What a page's body template sees: its own view model as `content`, and the form token and
/// whether the user may act, which every form needs (Mustache finds them from inside `content`).
struct PageView<Content>: Sendable where Content: Sendable {
    let csrf: String
    let mayAct: Bool
    let content: Content
}

/// The layout around every page: site, user, navigation, messages, the rendered body.
struct LayoutView: Sendable {
    let body: String
    let title: String
    let site: String
    let roleLabel: String
    let user: String?
    let userRole: String
    let csrf: String
    let nav: [NavLink]
    let notice: String?
    let error: String?
    let refresh: Int?
}

/// One entry of the navigation bar.
struct NavLink: Sendable {
    let href: String
    let label: String
    let active: Bool
}

/// An error page's one message.
struct MessageView: Sendable {
    let message: String
}

/// The sign-in form: its own CSRF token (no session exists yet) and where to go after.
struct LoginView: Sendable {
    let loginToken: String
    let next: String
}
