import Hummingbird
import Logging

/// The request context of the console's routes: who is asking (set by `AccessMiddleware`).
public struct ConsoleContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user (session cookie or HTTP Basic); nil before the middleware ran.
    public var user: WebUser?
    /// The page session's CSRF token, for the forms a page renders (nil for the API).
    public var csrf: String?
    /// The session cookie's value (to log out).
    public var sessionID: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
