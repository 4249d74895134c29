import Accounts
import Tenancy
import Foundation
import GraphQL
import Models

/// Reading validated arguments. The engine has already checked types and required fields; these helpers turn the
/// values into domain types, and IDs that are not UUIDs into the same `NOT_FOUND` an unknown ID gives.
struct Input {
    let object: OrderedObject

    /// The input object argument `name` (default `input`).
    init(_ args: Arguments, _ name: String = "input") throws {
        guard let object = args.object(name) else { throw ServiceError(.badUserInput, "\(name) is required") }
        self.object = object
    }

    /// A string field; `BAD_USER_INPUT` when missing.
    func string(_ key: String) throws -> String {
        guard let text = object[key]?.stringValue else { throw ServiceError(.badUserInput, "\(key) is required") }
        return text
    }

    /// An optional string field.
    func optionalString(_ key: String) -> String? { object[key]?.stringValue }

    /// Whether the field was given (possibly as null).
    func contains(_ key: String) -> Bool { object.contains(key: key) }

    /// An optional integer field.
    func optionalInt(_ key: String) -> Int? { object[key]?.intValue }

    /// A role field.
    func role(_ key: String) throws -> Role {
        guard let role = Role(rawValue: try string(key)) else { throw ServiceError(.badUserInput, "unknown role") }
        return role
    }

    /// An ID field naming `what` (`NOT_FOUND` "<what> not found" when it is not a UUID).
    func id<Tag>(_ key: String, _ what: String) throws -> TypedID<Tag> {
        try Input.id(try string(key), what)
    }

    /// An optional `DateTime` field.
    func optionalDate(_ key: String) throws -> Date? {
        guard let text = object[key]?.stringValue else { return nil }
        guard let date = DateTimeText.parse(text) else { throw ServiceError(.badUserInput, "\(key) is not an RFC 3339 date-time") }
        return date
    }

    /// Parses an ID; anything but a UUID behaves like an unknown ID.
    static func id<Tag>(_ text: String, _ what: String) throws -> TypedID<Tag> {
        guard let id = TypedID<Tag>(uuidString: text) else { throw ServiceError(.notFound, "\(what) not found") }
        return id
    }

    /// A top-level ID argument.
    static func id<Tag>(_ args: Arguments, _ name: String, _ what: String) throws -> TypedID<Tag> {
        guard let text = args.string(name) else { throw ServiceError(.badUserInput, "\(name) is required") }
        return try id(text, what)
    }
}
