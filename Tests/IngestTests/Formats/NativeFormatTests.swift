import Foundation
import Ingest
import Models
import Testing

@Suite struct NativeFormatTests {
    let received = Date.at("2025-07-18T12:00:00Z")

    func parse(_ text: String) throws -> [IngestEvent] {
        try NativeFormat().payload(
            from: try JSON.parse(Data(text.utf8)), limits: IngestLimits(), receivedAt: received, projectKey: "p1"
        ).events
    }

    @Test func acceptsOneEventAnArrayOrABatch() throws {
        let one = #"{"event": "user_signup", "user_id": "abc123", "timestamp": "2025-07-18T10:00:00Z", "properties": {"plan": "pro"}}"#
        #expect(try parse(one).count == 1)
        #expect(try parse("[\(one), \(one)]").count == 2)
        let batch = try parse(#"{"batch": [\#(one)], "sent_at": "2025-07-18T11:59:00Z"}"#)
        // Clock skew: the client's clock was a minute behind, so the event moves a minute later.
        #expect(batch[0].timestamp == Date.at("2025-07-18T10:01:00Z"))
        #expect(batch[0].distinctID == "abc123")
        #expect(batch[0].propertiesJSON == #"{"plan":"pro"}"#)
    }

    @Test func distinctIDSynonymsEpochTimestampsAndDefaults() throws {
        let events = try parse(#"[{"event": "a", "distinct_id": 42, "timestamp": 1752832800000}, {"event": "b", "user_id": "u"}]"#)
        #expect(events[0].distinctID == "42")
        #expect(events[0].timestamp == Date.at("2025-07-18T10:00:00Z"))
        #expect(events[1].timestamp == received)
        #expect(events[1].propertiesJSON == "{}")
    }

    @Test func rejectsTheWholeBatchWithPerIndexDetails() {
        let body =
            #"[{"event": "ok", "user_id": "u"}, {"event": "", "user_id": "u"}, 7,"#
            + #" {"event": "ok", "user_id": "u", "timestamp": "2030-01-01T00:00:00Z"}, {"event": "ok", "user_id": "u", "uuid": "nope"}]"#
        do {
            _ = try parse(body)
            Issue.record("accepted an invalid batch")
        } catch let error as IngestError {
            #expect(error.code == .invalidEvents)
            #expect(error.details.map(\.index) == [1, 2, 3, 4])
            #expect(error.details.map(\.code) == ["INVALID_EVENT_NAME", "NOT_AN_OBJECT", "TIMESTAMP_OUT_OF_RANGE", "INVALID_UUID"])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func enforcesPropertyAndBatchLimits() {
        let deep = String(repeating: #"{"a":"#, count: 11) + "1" + String(repeating: "}", count: 11)
        #expect(throws: IngestError.self) { try parse(#"{"event": "e", "user_id": "u", "properties": \#(deep)}"#) }
        let big = String(repeating: "x", count: 70_000)
        #expect(throws: IngestError.self) { try parse(#"{"event": "e", "user_id": "u", "properties": {"s": "\#(big)"}}"#) }
        var limits = IngestLimits()
        limits.maxBatchEvents = 2
        let three = try! JSON.parse(Data(#"[{"event":"e","user_id":"u"},{"event":"e","user_id":"u"},{"event":"e","user_id":"u"}]"#.utf8))
        #expect(throws: IngestError(.batchTooLarge, "at most 2 events per request, got 3")) {
            try NativeFormat().payload(from: three, limits: limits, receivedAt: received, projectKey: "p")
        }
    }
}

extension NativeFormatTests {
    @Test func identifyAliasAndSetBecomeIdentityOperations() throws {
        let text = #"""
            [{"event": "$identify", "user_id": "user-1", "properties": {"$anon_distinct_id": "anon-1", "$set": {"plan": "pro"}}},
             {"event": "$create_alias", "distinct_id": "user-1", "properties": {"alias": "legacy-1"}},
             {"event": "view", "user_id": "user-2"}]
            """#
        let batch = try NativeFormat().payload(
            from: try JSON.parse(Data(text.utf8)), limits: IngestLimits(), receivedAt: received, projectKey: "p1")
        #expect(batch.events.count == 3)
        #expect(
            batch.identity == [
                .merge(keep: "user-1", other: "anon-1"), .setProperties(distinctID: "user-1", set: #"{"plan":"pro"}"#, setOnce: nil),
                .merge(keep: "user-1", other: "legacy-1"),
            ])
    }
}

extension NativeFormatTests {
    @Test func theTokenIsTheBearerHeaderNeverTheBody() throws {
        let format = NativeFormat()
        let envelope = try format.envelope(of: try JSON.parse(Data(#"{"api_key": "body", "batch": []}"#.utf8)))
        #expect(format.tokenIsHeader)
        #expect(format.token(in: envelope, authorization: "Bearer  tok ") == "tok")
        #expect(format.token(in: envelope, authorization: "Basic dG9rOg==") == nil)
        #expect(format.token(in: envelope, authorization: nil) == nil)
    }

    @Test func eventsWithoutUUIDTakeThemFromTheInjectedSource() throws {
        let fixed = UUID(uuidString: "00000000-0000-4000-8000-000000000001")!
        let envelope = try NativeFormat().envelope(of: try JSON.parse(Data(#"{"event": "e", "user_id": "u"}"#.utf8)))
        let payload = try NativeFormat().payload(
            from: envelope, limits: IngestLimits(), receivedAt: received, projectKey: "p", newUUID: { fixed })
        #expect(payload.events.map(\.uuid) == [fixed])
    }
}
