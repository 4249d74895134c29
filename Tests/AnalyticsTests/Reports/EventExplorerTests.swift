import Analytics
import Foundation
import Testing
import Models

@Suite struct EventExplorerTests {
    @Test func pagesAreNewestFirstAndStableUnderInserts() async throws {
        let f = try await ReportFixture.make()
        let low = UUID(uuidString: "00000000-0000-0000-0000-000000000001")!
        let high = UUID(uuidString: "ffffffff-0000-0000-0000-000000000001")!
        try await f.event("view", "u1", "2026-05-01T10:00:00Z", uuid: low)
        try await f.event("view", "u1", "2026-05-01T10:00:00Z", uuid: high)  // same time: higher uuid first
        try await f.event("view", "u2", "2026-05-01T09:00:00Z")
        try await f.event("buy", "u2", "2026-05-01T08:00:00Z", #"{"amount": 5}"#)
        let first = try await f.run { try await EventExplorer.page(EventFilter(), first: 2, after: nil, scope: $1, on: $0) }
        #expect(first.events.map(\.event.id) == [high, low])
        #expect(first.hasNextPage)
        // A newer event arriving between pages does not shift the next page.
        try await f.event("view", "u3", "2026-05-01T11:00:00Z")
        let cursor = first.events.last!.cursor
        let second = try await f.run { try await EventExplorer.page(EventFilter(), first: 2, after: cursor, scope: $1, on: $0) }
        #expect(second.events.map(\.event.distinctID) == ["u2", "u2"])
        #expect(!second.hasNextPage)
        let filtered = try await f.run {
            try await EventExplorer.page(
                EventFilter(properties: [PropertyFilter(key: "amount", op: .gte, value: .int(5))]), first: 10, after: nil, scope: $1, on: $0
            )
        }
        #expect(filtered.events.map(\.event.event) == ["buy"])
        await #expect(throws: ServiceError.self) {
            try await f.run { try await EventExplorer.page(EventFilter(), first: 2, after: "garbage", scope: $1, on: $0) }
        }
    }

    @Test func namesAndKeysMostFrequentFirst() async throws {
        let f = try await ReportFixture.make()
        try await f.event("view", "u1", "2026-05-01T10:00:00Z", #"{"a":1,"b":2}"#)
        try await f.event("view", "u1", "2026-05-01T10:00:01Z", #"{"b":2}"#)
        try await f.event("buy", "u1", "2026-05-01T10:00:02Z", #"{"c":3}"#)
        #expect(try await f.run { try await EventExplorer.eventNames(limit: 10, scope: $1, on: $0) } == ["view", "buy"])
        #expect(try await f.run { try await EventExplorer.propertyKeys(event: nil, limit: 10, scope: $1, on: $0) } == ["b", "a", "c"])
        #expect(try await f.run { try await EventExplorer.propertyKeys(event: "buy", limit: 10, scope: $1, on: $0) } == ["c"])
    }

    /// A tail opened without a cursor starts at the newest events (the last `limit`, oldest of them first), not at
    /// the start of the history.
    @Test func liveTailWithoutCursorStartsAtTheNewestEvents() async throws {
        let f = try await ReportFixture.make()
        _ = try await f.database.asOwner(
            """
            INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp", received_at)
            SELECT \(f.org.rawValue), \(f.project.rawValue), gen_random_uuid(), 'e' || lpad(i::text, 2, '0'), 'u',
                   now() - interval '1 hour', now() - interval '1 minute' + i * interval '1 second'
            FROM generate_series(1, 25) AS i
            """)
        let start = try await f.run { try await EventExplorer.live(after: nil, limit: 10, scope: $1, on: $0) }
        #expect(start.events.map(\.event) == (16...25).map { "e\($0)" })
        let next = try await f.run { [start] in try await EventExplorer.live(after: start.cursor, limit: 10, scope: $1, on: $0) }
        #expect(next.events.isEmpty)
    }

    @Test func liveTailReturnsOnlyNewerSettledEvents() async throws {
        let f = try await ReportFixture.make()
        _ = try await f.database.asOwner(
            """
            INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp", received_at)
            VALUES (\(f.org.rawValue), \(f.project.rawValue), \(UUID()), 'old', 'u', now() - interval '1 hour', now() - interval '10 seconds')
            """)
        let start = try await f.run { try await EventExplorer.live(after: nil, limit: 10, scope: $1, on: $0) }
        #expect(start.events.map(\.event) == ["old"])
        // Received 5 seconds ago (settled), with an old timestamp: a late event still shows up in the tail.
        _ = try await f.database.asOwner(
            """
            INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp", received_at)
            VALUES (\(f.org.rawValue), \(f.project.rawValue), \(UUID()), 'late', 'u', now() - interval '3 days', now() - interval '5 seconds')
            """)
        let cursor = start.cursor
        let next = try await f.run { try await EventExplorer.live(after: cursor, limit: 10, scope: $1, on: $0) }
        #expect(next.events.map(\.event) == ["late"])
        let none = try await f.run { [next] in try await EventExplorer.live(after: next.cursor, limit: 10, scope: $1, on: $0) }
        #expect(none.events.isEmpty)
        #expect(none.cursor == next.cursor)
    }
}
