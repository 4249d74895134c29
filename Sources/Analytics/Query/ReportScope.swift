import Foundation
import Models

/// The project a report runs on, with the time zone its buckets align to.
public struct ReportScope: Sendable {
    /// The project's organization (the tenant transaction's).
    public var org: Org.ID
    /// The project.
    public var project: Project.ID
    /// The project's IANA time zone.
    public var timeZone: TimeZone

    /// Creates a scope; an unknown zone name falls back to UTC (project time zones are validated when set).
    public init(org: Org.ID, project: Project.ID, timezone: String) {
        self.org = org
        self.project = project
        self.timeZone = TimeZone(identifier: timezone) ?? TimeZone(identifier: "UTC")!
    }
}

extension Date {
    /// Microseconds since 1970 (PostgreSQL's precision).
    var micros: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }

    /// The date `micros` microseconds after 1970.
    init(micros: Int64) { self.init(timeIntervalSince1970: Double(micros) / 1_000_000) }
}
