import GraphQL
import Models

extension Arguments {
    /// The arguments with every NUL (U+0000) in strings and input-object keys replaced by U+FFFD, the same rule as
    /// ingestion (`TextPolicy`): PostgreSQL refuses NUL in text, so a name, email, filter or report definition with
    /// one would otherwise end in an internal error. Unchanged (no copy) when there is none.
    func replacingNUL() -> Arguments {
        guard let values = Value.object(self.values).replacingNUL()?.objectValue else { return self }
        return Arguments(values)
    }
}

extension Value {
    /// This value with every NUL replaced, or nil when it has none.
    func replacingNUL() -> Value? {
        switch self {
        case .string(let text):
            return TextPolicy.replacingNUL(in: text).map(Value.string)
        case .list(let items):
            let replaced = items.map { $0.replacingNUL() }
            guard replaced.contains(where: { $0 != nil }) else { return nil }
            return .list(zip(items, replaced).map { $1 ?? $0 })
        case .object(let object):
            var changed = false
            var members: [(String, Value)] = []
            for (key, value) in object {
                let newKey = TextPolicy.replacingNUL(in: key)
                let newValue = value.replacingNUL()
                changed = changed || newKey != nil || newValue != nil
                members.append((newKey ?? key, newValue ?? value))
            }
            return changed ? .object(OrderedObject(members)) : nil
        default:
            return nil
        }
    }
}
