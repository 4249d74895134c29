import Foundation

/// What stored text may contain. PostgreSQL refuses the NUL character (U+0000) in `text` and `jsonb`, so a NUL from
/// a client would fail its whole statement (and, in a group-commit round, other clients' events with it). Like
/// PostHog, InsightVault replaces every NUL with U+FFFD (the replacement character) wherever client text enters:
/// ingestion bodies (`BodyDecoder`) and every GraphQL argument (the API's resolver registration).
public enum TextPolicy {
    /// The character a NUL becomes.
    public static let replacement: Character = "\u{FFFD}"

    /// `text` with every NUL replaced, or nil when it has none (the common case costs one scan, no copy).
    public static func replacingNUL(in text: String) -> String? {
        guard text.utf8.contains(0) else { return nil }
        return text.replacingOccurrences(of: "\u{0}", with: String(replacement))
    }
}

extension JSON {
    /// This value with every NUL in its strings and object keys replaced by U+FFFD (see `TextPolicy`).
    public func replacingNUL() -> JSON {
        switch self {
        case .string(let text):
            return TextPolicy.replacingNUL(in: text).map(JSON.string) ?? self
        case .array(let items):
            return .array(items.map { $0.replacingNUL() })
        case .object(let members):
            var result: [String: JSON] = [:]
            result.reserveCapacity(members.count)
            for (key, value) in members {
                result[TextPolicy.replacingNUL(in: key) ?? key] = value.replacingNUL()
            }
            return .object(result)
        case .null, .bool, .int, .double:
            return self
        }
    }
}
