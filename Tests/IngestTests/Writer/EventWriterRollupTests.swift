import Foundation
import Ingest
import Models
import Testing
import TestSupport

@Suite struct EventWriterRollupTests {
    @Test func lateEventsAndMergesMarkTheirLocalDaysDirty() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Late")
        _ = try await database.asOwner("UPDATE projects SET timezone = 'America/New_York' WHERE project_id = \(project.rawValue)")
        let recent = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60))
        try await EventWriterTests.withWriter(database) { writer in
            // 2025-07-18T03:00Z is July 17 in New York; an event a minute old marks nothing.
            try await writer.submit(
                IngestBatch(
                    org: org, project: project,
                    events: [
                        EventWriterTests.event("view", "anon", at: "2025-07-18T03:00:00Z"), EventWriterTests.event("view", "u", at: recent),
                    ], identity: []))
            var days = try await database.asOwner("SELECT day::text FROM rollup_dirty ORDER BY day").map { try $0.decode(String.self) }
            #expect(days == ["2025-07-17"])
            _ = try await database.asOwner("DELETE FROM rollup_dirty")
            // Merging `anon` into `user` changes who the past events of both belong to (both get a person).
            try await writer.submit(
                IngestBatch(
                    org: org, project: project, events: [EventWriterTests.event("login", "user", at: recent)],
                    identity: [.merge(keep: "user", other: "anon")]))
            days = try await database.asOwner("SELECT day::text FROM rollup_dirty ORDER BY day").map { try $0.decode(String.self) }
            let today = try await database.asOwner("SELECT ((now() - interval '60 seconds') AT TIME ZONE 'America/New_York')::date::text")
            #expect(days == ["2025-07-17", try today[0].decode(String.self)])
        }
    }

    @Test func eventsMoreThanAQuarterOfAnHourOldMarkTheirDayBecauseTheOpenDaysPrefixMayHoldTheirTime() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Late")
        // The prefix is cut at least 20 minutes before now; an event 14 minutes old is after every cut.
        let (fourteen, sixteen) = (Self.stamp(age: 14 * 60), Self.stamp(age: 16 * 60))
        try await EventWriterTests.withWriter(database) { writer in
            try await writer.submit(
                IngestBatch(org: org, project: project, events: [EventWriterTests.event("view", "u", at: fourteen)], identity: []))
            #expect(try await database.asOwner("SELECT 1 FROM rollup_dirty").isEmpty)
            try await writer.submit(
                IngestBatch(org: org, project: project, events: [EventWriterTests.event("view", "u", at: sixteen)], identity: []))
            let days = try await database.asOwner("SELECT day::text FROM rollup_dirty").map { try $0.decode(String.self) }
            let expected = try await database.asOwner("SELECT ((now() - interval '16 minutes') AT TIME ZONE 'UTC')::date::text")
            #expect(days == [try expected[0].decode(String.self)])
        }
    }

    @Test func onlyRoundsWithLateEventsTellTheRollupServiceToDeferTheirProjectsRebuilds() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Backfill")
        let (liveOrg, liveProject) = try await database.seedOrg(name: "Live")
        try await EventWriterTests.withWriter(database) { writer in
            try await writer.submit(
                IngestBatch(
                    org: liveOrg, project: liveProject, events: [EventWriterTests.event("view", "u", at: Self.stamp(age: 60))],
                    identity: []))
            #expect(!writer.lateWrites.defersRebuilds(of: liveProject.rawValue, at: Date()))
            try await writer.submit(
                IngestBatch(
                    org: org, project: project, events: [EventWriterTests.event("view", "u", at: Self.stamp(age: 14 * 86_400))],
                    identity: []))
            #expect(writer.lateWrites.defersRebuilds(of: project.rawValue, at: Date()))
            // Two minutes without late events end the deferral.
            #expect(!writer.lateWrites.defersRebuilds(of: project.rawValue, at: Date().addingTimeInterval(121)))
        }
    }

    /// An RFC 3339 time `age` seconds before now.
    static func stamp(age: TimeInterval) -> String { ISO8601DateFormatter().string(from: Date().addingTimeInterval(-age)) }
}

@Suite struct LateWritesTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let project = UUID()

    @Test func aProjectIsDeferredUntilItsLateEventsPauseForTheQuietPeriod() {
        let late = LateWrites(quiet: 120, longestDeferral: 900)
        #expect(!late.defersRebuilds(of: project, at: start))
        late.record([project], at: start)
        #expect(late.defersRebuilds(of: project, at: start.addingTimeInterval(60)))
        late.record([project], at: start.addingTimeInterval(100))
        #expect(late.defersRebuilds(of: project, at: start.addingTimeInterval(200)))
        #expect(!late.defersRebuilds(of: project, at: start.addingTimeInterval(220)))
        #expect(!late.defersRebuilds(of: UUID(), at: start.addingTimeInterval(60)))
    }

    @Test func aServerThatJustStartedDefersEveryProjectForTheQuietPeriod() {
        let late = LateWrites(quiet: 120, longestDeferral: 900, startedAt: start)
        #expect(late.defersRebuilds(of: project, at: start.addingTimeInterval(1)))
        #expect(late.defersRebuilds(of: UUID(), at: start.addingTimeInterval(119)))
        #expect(!late.defersRebuilds(of: project, at: start.addingTimeInterval(120)))
        // A project whose late events go on past the grace waits for them to pause, as without a start.
        let backfilled = UUID()
        late.record([backfilled], at: start.addingTimeInterval(100))
        #expect(late.defersRebuilds(of: backfilled, at: start.addingTimeInterval(200)))
        #expect(!late.defersRebuilds(of: backfilled, at: start.addingTimeInterval(220)))
        // No quiet period, no grace; no start given, no grace.
        #expect(!LateWrites(quiet: 0, startedAt: start).defersRebuilds(of: project, at: start))
        #expect(!LateWrites(quiet: 120).defersRebuilds(of: project, at: start))
    }

    @Test func aBackfillThatNeverPausesStillGetsItsDaysRebuiltEveryLongestDeferral() {
        let late = LateWrites(quiet: 120, longestDeferral: 900)
        var answers: [Bool] = []
        // A late round every 30 s for 40 minutes; the rollup service asks every 60 s.
        for second in stride(from: 0, through: 2_400, by: 30) {
            late.record([project], at: start.addingTimeInterval(Double(second)))
            if second % 60 == 30 { answers.append(late.defersRebuilds(of: project, at: start.addingTimeInterval(Double(second)))) }
        }
        // Rebuilt at 930 s and 1,830 s (the first asks at or past 900 s since the deferral began), deferred otherwise.
        let allowed = answers.indices.filter { !answers[$0] }.map { 30 + 60 * $0 }
        #expect(allowed == [930, 1_830])
    }
}
