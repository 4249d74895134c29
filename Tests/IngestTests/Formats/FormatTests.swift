import Foundation
import Ingest
import Models
import Testing

@Suite struct NativeFormatTests {
    let received = Date.at("2025-07-18T12:00:00Z")

    func parse(_ text: String) throws -> [IngestEvent] {
        try NativeFormat.events(
            from: try JSON.parse(Data(text.utf8)), limits: IngestLimits(), receivedAt: received, projectKey: "p1")
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
        let body = #"[{"event": "ok", "user_id": "u"}, {"event": "", "user_id": "u"}, 7,"#
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
            try NativeFormat.events(from: three, limits: limits, receivedAt: received, projectKey: "p")
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
        let batch = try NativeFormat.batch(
            from: try JSON.parse(Data(text.utf8)), limits: IngestLimits(), receivedAt: received, projectKey: "p1")
        #expect(batch.events.count == 3)
        #expect(batch.identity == [
            .merge(keep: "user-1", other: "anon-1"), .setProperties(distinctID: "user-1", set: #"{"plan":"pro"}"#, setOnce: nil),
            .merge(keep: "user-1", other: "legacy-1"),
        ])
    }
}

@Suite struct SDKFormatTests {
    let received = Date.at("2025-07-18T12:00:00Z")

    func payload(_ format: some SDKFormat, _ text: String) throws -> SDKPayload {
        try format.payload(from: try JSON.parse(Data(text.utf8)), limits: IngestLimits(), receivedAt: received, projectKey: "p")
    }

    @Test func postHogIdentifyMergesAndBadEventsAreDroppedNotFatal() throws {
        let body = #"{"api_key": "tok", "batch": [{"event": "$identify", "distinct_id": "user", "properties": {"$anon_distinct_id": "anon", "$set": {"email": "e@x"}}},"#
            + #" {"event": "", "distinct_id": "x"}, {"event": "$pageview", "properties": {"distinct_id": "anon", "token": "tok"}, "offset": 1000}]}"#
        let format = PostHogFormat()
        #expect(format.token(in: try JSON.parse(Data(body.utf8))) == "tok")
        let result = try payload(format, body)
        #expect(result.events.map(\.event) == ["$identify", "$pageview"])
        #expect(result.events[1].timestamp == received.addingTimeInterval(-1))
        #expect(!result.events[1].propertiesJSON.contains("token"))
        #expect(result.dropped == ["INVALID_EVENT_NAME": 1])
        #expect(result.identity == [.merge(keep: "user", other: "anon"), .setProperties(distinctID: "user", set: #"{"email":"e@x"}"#, setOnce: nil)])
    }

    @Test func segmentMessageIdIsADeterministicIdempotencyKey() throws {
        let body = #"{"batch": [{"type": "track", "event": "Buy", "userId": "u1", "messageId": "m-1", "timestamp": "2025-07-18T10:00:00Z"},"#
            + #" {"type": "alias", "userId": "u1", "previousId": "old"}, {"type": "page", "anonymousId": "a", "name": "Home"}]}"#
        let first = try payload(SegmentFormat(pathType: nil), body)
        let second = try payload(SegmentFormat(pathType: nil), body)
        #expect(first.events.map(\.event) == ["Buy", "$create_alias", "$pageview"])
        #expect(first.events[0].uuid == second.events[0].uuid)
        #expect(first.events[0].uuid == EventNormalizer.deterministicUUID(project: "p", key: "m-1"))
        #expect(first.identity == [.merge(keep: "u1", other: "old")])
        #expect(first.events[2].distinctID == "a")
    }

    @Test func mixpanelTrackAndEngage() throws {
        let track = try payload(
            MixpanelFormat(isEngage: false),
            #"[{"event": "Play", "properties": {"token": "t", "distinct_id": "d", "time": 1752832800, "$insert_id": "i1", "len": 3}}]"#)
        #expect(track.events.count == 1)
        #expect(track.events[0].timestamp == Date.at("2025-07-18T10:00:00Z"))
        #expect(track.events[0].propertiesJSON == #"{"$insert_id":"i1","len":3}"#)
        let engage = try payload(MixpanelFormat(isEngage: true), #"{"$token": "t", "$distinct_id": "d", "$set_once": {"first": 1}}"#)
        #expect(engage.events.isEmpty)
        #expect(engage.identity == [.setProperties(distinctID: "d", set: nil, setOnce: #"{"first":1}"#)])
    }
}

@Suite struct BodyDecoderTests {
    @Test func decodesFormBase64AndRefusesUnknownMediaTypes() throws {
        let json = #"{"event":"e"}"#
        let base64 = Data(json.utf8).base64EncodedString()
        let form = "data=" + (base64.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") + "&verbose=1"
        let decoded = try BodyDecoder.decode(
            Array(form.utf8), contentType: "application/x-www-form-urlencoded", contentEncoding: nil, compression: nil,
            limits: IngestLimits())
        #expect(decoded.json["event"] == .string("e"))
        #expect(decoded.form["verbose"] == "1")
        #expect(throws: IngestError.self) {
            try BodyDecoder.decode(Array(json.utf8), contentType: "application/xml", contentEncoding: nil, compression: nil, limits: IngestLimits())
        }
        #expect(throws: IngestError.self) {
            try BodyDecoder.decode(Array("{nope".utf8), contentType: "application/json", contentEncoding: nil, compression: nil, limits: IngestLimits())
        }
    }
}

extension Date {
    static func at(_ text: String) -> Date { try! Date.ISO8601FormatStyle().parse(text) }
}
