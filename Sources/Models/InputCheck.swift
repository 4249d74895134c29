import Foundation

/// Input checks shared by the services; failures are `BAD_USER_INPUT`.
public enum InputCheck {
    /// Longest accepted email, in characters (RFC 5321's path limit); it also bounds the throttle's keys.
    public static let maxEmailLength = 254

    /// A trimmed email of 3 to 254 characters with one `@` not at either end.
    public static func email(_ raw: String) throws(ServiceError) -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard email.count <= maxEmailLength else {
            throw ServiceError(.badUserInput, "email addresses are at most \(maxEmailLength) characters")
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard (3...maxEmailLength).contains(email.count), parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
            !email.contains(where: \.isWhitespace)
        else { throw ServiceError(.badUserInput, "invalid email address") }
        return email
    }

    /// A trimmed name of 1 to 200 characters.
    public static func name(_ raw: String, field: String) throws(ServiceError) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.count) else { throw ServiceError(.badUserInput, "\(field) must be 1 to 200 characters") }
        return name
    }

    /// An optional display name: empty means none.
    public static func optionalName(_ raw: String?, field: String) throws(ServiceError) -> String? {
        guard let raw, !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return try name(raw, field: field)
    }
}
