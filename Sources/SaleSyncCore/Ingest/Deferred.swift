import Foundation

/// Thrown inside a pipelined bundle's transaction when the bundle before it did not commit:
/// the transaction rolls back and the bundle is applied again in a later round.
struct Deferred: Error {}
