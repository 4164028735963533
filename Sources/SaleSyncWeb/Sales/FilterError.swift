/// A filter parameter the console refuses, with the parameter's name.
public struct FilterError: Error, CustomStringConvertible, Sendable {
    public var field: String
    public var message: String
    public var description: String { "\(field): \(message)" }
}
