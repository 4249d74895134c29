/// A member's role inside an organization. Ordered: OWNER > ADMIN > MEMBER > VIEWER.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    /// Everything, including managing other owners.
    case owner = "OWNER"
    /// Manages projects, tokens and members below ADMIN.
    case admin = "ADMIN"
    /// Saves reports and dashboards.
    case member = "MEMBER"
    /// Reads only.
    case viewer = "VIEWER"

    /// Rank used for comparisons; higher has more rights.
    public var rank: Int {
        switch self {
        case .owner: 3
        case .admin: 2
        case .member: 1
        case .viewer: 0
        }
    }

    /// `true` when this role grants at least the rights of `other`.
    public func includes(_ other: Role) -> Bool { rank >= other.rank }

    /// Orders roles by what they include: VIEWER < MEMBER < ADMIN < OWNER.
    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// The kind of an API token.
public enum TokenKind: String, Sendable, Codable, CaseIterable {
    /// Write-only token bound to one project, used by SDKs to send events.
    case ingest = "INGEST"
    /// A user's personal key for the GraphQL API.
    case personal = "PERSONAL"
}
