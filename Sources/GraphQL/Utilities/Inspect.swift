/// Formats a value for an error message exactly like graphql-js `inspect`: strings JSON-quoted,
/// objects as `{ key: value }`, at most 10 list items, nesting beyond 2 levels shown as `[Array]` / `[Object]`.
public func inspect(_ value: Value) -> String {
    formatValue(value, depth: 0)
}

private let maxArrayLength = 10
private let maxRecursiveDepth = 2

private func formatValue(_ value: Value, depth: Int) -> String {
    switch value {
    case .null: return "null"
    case .bool(let bool): return bool ? "true" : "false"
    case .int(let int): return String(int)
    case .double(let double): return JSNumber.format(double)
    case .string: return value.jsonString()
    case .list(let list):
        if list.isEmpty { return "[]" }
        // `depth` counts enclosing containers; graphql-js compares the seen-values list (which includes
        // the container being formatted) against the limit.
        if depth + 1 > maxRecursiveDepth { return "[Array]" }
        let length = min(maxArrayLength, list.count)
        var items = list.prefix(length).map { formatValue($0, depth: depth + 1) }
        let remaining = list.count - length
        if remaining == 1 {
            items.append("... 1 more item")
        } else if remaining > 1 {
            items.append("... \(remaining) more items")
        }
        return "[" + items.joined(separator: ", ") + "]"
    case .object(let object):
        if object.isEmpty { return "{}" }
        if depth + 1 > maxRecursiveDepth { return "[Object]" }
        let properties = object.map { $0.key + ": " + formatValue($0.value, depth: depth + 1) }
        return "{ " + properties.joined(separator: ", ") + " }"
    }
}
