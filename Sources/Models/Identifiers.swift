import Foundation

/// A UUID tagged with the kind of object it names, so an `Org.ID` can never be passed where a `Project.ID` is expected.
public struct TypedID<Tag>: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The underlying UUID as stored in PostgreSQL.
    public let rawValue: UUID

    /// Wraps an existing UUID.
    public init(_ rawValue: UUID) { self.rawValue = rawValue }

    /// Parses a UUID string (any case); `nil` when it is not a UUID.
    public init?(uuidString: String) {
        guard let uuid = UUID(uuidString: uuidString) else { return nil }
        self.rawValue = uuid
    }

    /// A new random (version 4) identifier.
    public static func random() -> Self { Self(UUID()) }

    /// The lowercase canonical text form, as PostgreSQL prints UUIDs.
    public var description: String { rawValue.uuidString.lowercased() }

    /// Decodes the bare UUID string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try UUID(from: decoder)
    }

    /// Encodes as the bare UUID string.
    public func encode(to encoder: any Encoder) throws {
        try rawValue.encode(to: encoder)
    }
}

/// An organization: the tenant. Every tenant row carries its `org_id`.
public enum Org {
    /// Tag type for organization identifiers.
    public enum Tag {}
    /// An organization's identifier.
    public typealias ID = TypedID<Tag>
}

/// A project inside an organization; events belong to projects.
public enum Project {
    /// Tag type for project identifiers.
    public enum Tag {}
    /// A project's identifier.
    public typealias ID = TypedID<Tag>
}

/// A person who logs in to the dashboard or API.
public enum User {
    /// Tag type for user identifiers.
    public enum Tag {}
    /// A user's identifier.
    public typealias ID = TypedID<Tag>
}

/// A tracked end user of a customer's product (after identity merges).
public enum Person {
    /// Tag type for person identifiers.
    public enum Tag {}
    /// A person's identifier.
    public typealias ID = TypedID<Tag>
}

/// A saved report (a trends, funnel or retention definition) of a project.
public enum Report {
    /// Tag type for report identifiers.
    public enum Tag {}
    /// A report's identifier.
    public typealias ID = TypedID<Tag>
}

/// A dashboard: an ordered set of a project's saved reports.
public enum Dashboard {
    /// Tag type for dashboard identifiers.
    public enum Tag {}
    /// A dashboard's identifier.
    public typealias ID = TypedID<Tag>
}

/// A read-only link to a dashboard.
public enum DashboardShare {
    /// Tag type for share identifiers.
    public enum Tag {}
    /// A share's identifier.
    public typealias ID = TypedID<Tag>
}
