/// What a console user may do: a viewer reads, an operator also acts.
public enum WebRole: String, Sendable, CaseIterable, Codable {
    case viewer
    case `operator`
}
