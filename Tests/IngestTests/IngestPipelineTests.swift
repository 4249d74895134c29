import Foundation
import Ingest
import Models
import PostgresNIO
import Storage
import Synchronization
import TestSupport
import Testing

/// The one ingestion path, without HTTP: token before body for header tokens, the server's clock and UUID source,
/// and nothing written when a request is refused.
@Suite struct IngestPipelineTests {
    /// Counts how often the body was read.
    final class Reads: Sendable {
        let count = Mutex(0)
        func body(_ text: String) -> @Sendable () async throws -> [UInt8] {
            {
                self.count.withLock { $0 += 1 }; return Array(text.utf8)
            }
        }
    }

    static func run(_ body: @Sendable (IngestPipeline, TestDatabase) async throws -> Void) async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Pipeline")
        try await TokenResolverTests.insertToken(database, org: org, project: project, token: "iv_ing_ok")
        try await database.withAppDatabase { db in
            let writer = EventWriter(database: db, logger: database.logger)
            let pipeline = IngestPipeline(
                tokens: TokenResolver(client: db.client, ttl: .zero, logger: database.logger), writer: writer,
                limits: IngestLimits(), now: { Date.at("2025-07-18T12:00:00Z") },
                newUUID: { UUID(uuidString: "00000000-0000-4000-8000-0000000000aa")! })
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await writer.run() }
                try await body(pipeline, database)
                group.cancelAll()
            }
        }
    }

    static func request(_ authorization: String?) -> IngestPipeline.Request {
        IngestPipeline.Request(
            authorization: authorization, contentType: "application/json", contentEncoding: nil, compression: nil)
    }

    @Test func aWrongHeaderTokenIsRefusedBeforeTheBodyIsRead() async throws {
        try await Self.run { pipeline, _ in
            let reads = Reads()
            await #expect(throws: IngestError(.invalidToken, "unknown, revoked or expired project token")) {
                _ = try await pipeline.ingest(Self.request("Bearer iv_ing_wrong"), format: NativeFormat(), readBody: reads.body("{"))
            }
            #expect(reads.count.withLock { $0 } == 0)
        }
    }

    @Test func aWrongSegmentBasicKeyIsRefusedBeforeTheBodyIsRead() async throws {
        try await Self.run { pipeline, _ in
            let reads = Reads()
            let wrong = "Basic " + Data("iv_ing_wrong:".utf8).base64EncodedString()
            await #expect(throws: IngestError.self) {
                _ = try await pipeline.ingest(Self.request(wrong), format: SegmentFormat(pathType: "track"), readBody: reads.body("{"))
            }
            #expect(reads.count.withLock { $0 } == 0)
            // The right key in the header: the body is read once and the event stored.
            let right = "Basic " + Data("iv_ing_ok:".utf8).base64EncodedString()
            let outcome = try await pipeline.ingest(
                Self.request(right), format: SegmentFormat(pathType: "track"),
                readBody: reads.body(#"{"event": "e", "userId": "u", "messageId": "m1"}"#))
            #expect(outcome.payload.events.count == 1)
            #expect(reads.count.withLock { $0 } == 1)
        }
    }

    @Test func eventsGetTheServersClockAndUUIDsAndAreCommittedBeforeTheAnswer() async throws {
        try await Self.run { pipeline, database in
            let outcome = try await pipeline.ingest(
                Self.request("Bearer iv_ing_ok"), format: NativeFormat(), readBody: Reads().body(#"{"event": "e", "user_id": "u"}"#))
            #expect(outcome.payload.events.map(\.uuid) == [UUID(uuidString: "00000000-0000-4000-8000-0000000000aa")!])
            let rows = try await database.asOwner(#"SELECT uuid, "timestamp", received_at FROM events"#)
            let (uuid, timestamp, received) = try rows[0].decode((UUID, Date, Date).self)
            #expect(uuid == UUID(uuidString: "00000000-0000-4000-8000-0000000000aa"))
            #expect(timestamp == Date.at("2025-07-18T12:00:00Z") && received == timestamp)
        }
    }

    @Test func bodyTokensAreFoundAfterOneDecodeAndARefusedBatchWritesNothing() async throws {
        try await Self.run { pipeline, database in
            let reads = Reads()
            let posthog = #"{"api_key": "iv_ing_ok", "batch": [{"event": "a", "distinct_id": "u"}, {"event": "", "distinct_id": "u"}]}"#
            let outcome = try await pipeline.ingest(Self.request(nil), format: PostHogFormat(), readBody: reads.body(posthog))
            #expect(outcome.payload.events.count == 1 && outcome.payload.dropped == ["INVALID_EVENT_NAME": 1])
            #expect(reads.count.withLock { $0 } == 1)
            await #expect(throws: IngestError.self) {
                _ = try await pipeline.ingest(
                    Self.request("Bearer iv_ing_ok"), format: NativeFormat(),
                    readBody: Reads().body(#"[{"event": "b", "user_id": "u"}, {"event": "", "user_id": "u"}]"#))
            }
            let count = try await database.asOwner("SELECT count(*) FROM events")[0].decode(Int.self)
            #expect(count == 1)
        }
    }

    @Test func aNULAnywhereIsStoredAsTheReplacementCharacterAndPoisonsNoRound() async throws {
        try await Self.run { pipeline, database in
            let poisoned =
                #"{"batch": [{"event": "a\u0000b", "user_id": "u\u0000", "uuid": "00000000-0000-4000-8000-000000000001", "properties": {"k\u0000": "v\u0000", "$set": {"n": "\u0000"}}}]}"#
            let clean = #"{"event": "clean", "user_id": "u", "uuid": "00000000-0000-4000-8000-000000000002"}"#
            // Both in flight together, so they may share a group-commit round.
            async let first = pipeline.ingest(Self.request("Bearer iv_ing_ok"), format: NativeFormat(), readBody: Reads().body(poisoned))
            async let second = pipeline.ingest(Self.request("Bearer iv_ing_ok"), format: NativeFormat(), readBody: Reads().body(clean))
            _ = try await (first, second)
            let rows = try await database.asOwner(#"SELECT event, distinct_id, properties::text FROM events ORDER BY event"#)
            let stored = try rows.map { try $0.decode((String, String, String).self) }
            #expect(stored.map(\.0) == ["a\u{FFFD}b", "clean"])
            #expect(stored[0].1 == "u\u{FFFD}")
            #expect(stored[0].2.contains("\"k\u{FFFD}\": \"v\u{FFFD}\""), "\(stored[0].2)")
            let person = try await database.asOwner("SELECT properties::text FROM persons")
            #expect(try person.map { try $0.decode(String.self) }.contains { $0.contains("\u{FFFD}") })
        }
    }
}
