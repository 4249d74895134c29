import Foundation
import Models
import PostgresNIO
import Storage

extension RollupReports {
    /// Event names by their number of events (ties by name), from the per-day counts of rolled-up days and raw
    /// events for the rest of time (before the rolled-up range, after it or the open day's prefix, dirty days, days
    /// at the retention horizon); nil without rollups.
    static func eventNames(limit: Int, scope: ReportScope, on tx: TenantConnection) async throws -> [String]? {
        let reader = try await RollupReader.load(scope, tx)
        guard let builtThrough = reader.builtThrough else { return nil }
        let zone = scope.timeZone
        let start = reader.builtFrom ?? LocalDay(number: builtThrough.number)
        let rolled = (start.number..<builtThrough.number).map { LocalDay(number: $0) }.filter(reader.isRolledUp)
        var countedDays = rolled
        // The covered time: the rolled-up days and the open day's prefix; everything else is read raw.
        var covered: [(Date, Date)] = rolled.map { ($0, reader.date(of: $0)) }.map {
            ($1, Interval.day.nextBucket(after: $1, in: zone))
        }
        if let prefix = reader.prefix {
            countedDays.append(prefix.day)
            covered.append((reader.date(of: prefix.day), prefix.through))
        }
        guard !covered.isEmpty else { return nil }
        // Merge touching ranges, then read raw what lies outside them.
        covered.sort { $0.0 < $1.0 }
        var merged: [(Date, Date)] = []
        for range in covered {
            if let last = merged.last, last.1 >= range.0 {
                merged[merged.count - 1].1 = max(last.1, range.1)
            } else {
                merged.append(range)
            }
        }
        var b = SQLBuilder()
        var gaps: [SQLText] = ["e.\"timestamp\" < \(b.bind(merged.first!.0))", "e.\"timestamp\" >= \(b.bind(merged.last!.1))"]
        for (a, c) in zip(merged, merged.dropFirst()) {
            gaps.append("(e.\"timestamp\" >= \(b.bind(a.1)) AND e.\"timestamp\" < \(b.bind(c.0)))")
        }
        let (org, project) = (b.bind(scope.org.rawValue), b.bind(scope.project.rawValue))
        b.append(
            """
            SELECT event FROM (
              SELECT d.event, d.events AS n FROM rollup_days d
              WHERE d.org_id = \(org) AND d.project_id = \(project) AND d.event <> ''
                AND d.day - DATE '1970-01-01' = ANY(\(b.bind(countedDays.map(\.number)))::int4[])
              UNION ALL
              SELECT e.event, count(*) FROM events e
              WHERE e.org_id = \(org) AND e.project_id = \(project) AND (\(gaps.joined(separator: " OR ")))
              GROUP BY e.event) counts
            GROUP BY event ORDER BY sum(n) DESC, event COLLATE "C" LIMIT \(b.bind(limit))
            """)
        return try await tx.query(b.query).collect().map { try $0.decode(String.self) }
    }
}
