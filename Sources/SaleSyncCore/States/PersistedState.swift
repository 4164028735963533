import MariaDB

/// A state stored as text in one of salesync's tables; bound as a parameter, never spliced.
public protocol PersistedState: RawRepresentable where RawValue == String {}

extension PersistedState {
    /// The state as a bound SQL parameter.
    public var sql: SQLValue { .text(rawValue) }

    /// The state in column `index` of `row`; nil when NULL or unknown to this version.
    public init?(_ row: Row, _ index: Int) {
        guard let text = row[index] else { return nil }
        self.init(rawValue: text)
    }
}

extension BundleStatus: PersistedState {}
extension AckStatus: PersistedState {}
extension Verdict: PersistedState {}
extension BundleKind: PersistedState {}
extension QuarantineStatus: PersistedState {}
