/// Template data without its absent values: Mustache treats a key that is present as set, so an
/// optional must be left out when nil rather than stored as `Optional.none`.
func mustacheData(_ pairs: KeyValuePairs<String, Any?>) -> [String: Any] {
    var d: [String: Any] = [:]
    for (k, v) in pairs { if let v { d[k] = v } }
    return d
}
