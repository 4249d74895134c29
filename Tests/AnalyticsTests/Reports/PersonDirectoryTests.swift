import Analytics
import Foundation
import Models
import Testing

/// Persons: the most recently seen, search by distinct id or property, one person by any of its distinct ids.
@Suite struct PersonDirectoryTests {
    /// u2 (unmerged, newest), a person made of u1 and anon (merged, with properties), u3 (oldest).
    static func fixture() async throws -> ReportFixture {
        let f = try await ReportFixture.make()
        try await f.event("signed_up", "u1", "2026-05-01T10:00:00Z")
        try await f.event("$pageview", "anon", "2026-05-01T09:00:00Z")
        try await f.event("$pageview", "u2", "2026-05-01T11:00:00Z")
        try await f.event("$pageview", "u3", "2026-04-01T11:00:00Z")
        try await f.merge(keep: "u1", other: "anon")
        _ = try await f.database.asOwner(
            """
            UPDATE persons SET properties = '{"plan": "Pro", "email": "ada@example.com"}'
            WHERE person_id = (SELECT person_id FROM person_distinct_ids WHERE distinct_id = 'u1')
            """)
        return f
    }

    @Test func recentPersonsComeNewestFirstWithTheirMergedIDs() async throws {
        let f = try await Self.fixture()
        let persons = try await f.run { try await PersonDirectory.search(nil, limit: 10, scope: $1, on: $0) }
        #expect(persons.map(\.distinctIDs) == [["u2"], ["anon", "u1"], ["u3"]])
        #expect(persons[0].id == "u2" && persons[0].propertiesJSON == "{}")
        #expect(UUID(uuidString: persons[1].id) != nil)
        #expect(persons[1].propertiesJSON.contains("\"plan\": \"Pro\""))
        #expect(persons[1].lastSeen == (try date("2026-05-01T10:00:00Z")))
        let two = try await f.run { try await PersonDirectory.search(nil, limit: 2, scope: $1, on: $0) }
        #expect(two.map(\.distinctIDs) == [["u2"], ["anon", "u1"]])
    }

    @Test func searchFindsDistinctIDsAndPropertyValuesIgnoringCase() async throws {
        let f = try await Self.fixture()
        let byID = try await f.run { try await PersonDirectory.search("ANO", limit: 10, scope: $1, on: $0) }
        #expect(byID.map(\.distinctIDs) == [["anon", "u1"]])
        let byProperty = try await f.run { try await PersonDirectory.search("pro", limit: 10, scope: $1, on: $0) }
        #expect(byProperty.map(\.distinctIDs) == [["anon", "u1"]])
        let several = try await f.run { try await PersonDirectory.search("u", limit: 10, scope: $1, on: $0) }
        #expect(several.map(\.distinctIDs) == [["u2"], ["anon", "u1"], ["u3"]])
        let none = try await f.run { try await PersonDirectory.search("zzz", limit: 10, scope: $1, on: $0) }
        #expect(none.isEmpty)
        await #expect(throws: ServiceError.self) {
            try await f.run { try await PersonDirectory.search(nil, limit: 0, scope: $1, on: $0) }
        }
    }

    @Test func aPersonByAnyOfItsDistinctIDsWithItsEvents() async throws {
        let f = try await Self.fixture()
        let merged = try await f.run { try await PersonDirectory.person(distinctID: "anon", scope: $1, on: $0) }
        let same = try await f.run { try await PersonDirectory.person(distinctID: "u1", scope: $1, on: $0) }
        #expect(merged != nil && merged == same)
        #expect(merged?.distinctIDs == ["anon", "u1"])
        let single = try await f.run { try await PersonDirectory.person(distinctID: "u2", scope: $1, on: $0) }
        #expect(single?.id == "u2" && single?.distinctIDs == ["u2"])
        #expect(try await f.run { try await PersonDirectory.person(distinctID: "nobody", scope: $1, on: $0) } == nil)
        let events = try await f.run {
            try await EventExplorer.page(EventFilter(distinctIDs: ["anon", "u1"]), first: 10, after: nil, scope: $1, on: $0)
        }
        #expect(events.events.map(\.event.event) == ["signed_up", "$pageview"])
    }
}
