import Foundation
import Ingest
import Models
import Testing

/// The SDK formats: PostHog, Segment and Mixpanel bodies through the shared ingestion path.
@Suite struct SDKFormatTests {
    let received = Date.at("2025-07-18T12:00:00Z")

    func payload(_ format: some IngestFormat, _ text: String) throws -> IngestPayload {
        try format.payload(from: try JSON.parse(Data(text.utf8)), limits: IngestLimits(), receivedAt: received, projectKey: "p")
    }

    @Test func postHogIdentifyMergesAndBadEventsAreDroppedNotFatal() throws {
        let body =
            #"{"api_key": "tok", "batch": [{"event": "$identify", "distinct_id": "user", "properties": {"$anon_distinct_id": "anon", "$set": {"email": "e@x"}}},"#
            + #" {"event": "", "distinct_id": "x"}, {"event": "$pageview", "properties": {"distinct_id": "anon", "token": "tok"}, "offset": 1000}]}"#
        let format = PostHogFormat()
        #expect(format.token(in: try format.envelope(of: try JSON.parse(Data(body.utf8))), authorization: nil) == "tok")
        let result = try payload(format, body)
        #expect(result.events.map(\.event) == ["$identify", "$pageview"])
        #expect(result.events[1].timestamp == received.addingTimeInterval(-1))
        #expect(!result.events[1].propertiesJSON.contains("token"))
        #expect(result.dropped == ["INVALID_EVENT_NAME": 1])
        #expect(
            result.identity == [
                .merge(keep: "user", other: "anon"), .setProperties(distinctID: "user", set: #"{"email":"e@x"}"#, setOnce: nil),
            ])
    }

    @Test func segmentMessageIdIsADeterministicIdempotencyKey() throws {
        let body =
            #"{"batch": [{"type": "track", "event": "Buy", "userId": "u1", "messageId": "m-1", "timestamp": "2025-07-18T10:00:00Z"},"#
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

    @Test func eachFormatFindsItsTokenWhereItsSDKPutsIt() throws {
        func envelope(_ format: some IngestFormat, _ text: String) throws -> IngestEnvelope {
            try format.envelope(of: try JSON.parse(Data(text.utf8)))
        }
        let posthog = PostHogFormat()
        #expect(posthog.token(in: try envelope(posthog, #"[{"event": "e", "properties": {"$token": "ph"}}]"#), authorization: nil) == "ph")
        let segment = SegmentFormat(pathType: "track")
        // Segment's SDKs send the write key as the HTTP Basic user name ("seg:" in base64).
        #expect(segment.token(in: try envelope(segment, #"{"event": "e"}"#), authorization: "Basic c2VnOg==") == "seg")
        #expect(segment.token(in: try envelope(segment, #"{"writeKey": "body"}"#), authorization: nil) == "body")
        #expect(segment.headerToken(authorization: "Basic c2VnOg==") == "seg")
        #expect(posthog.headerToken(authorization: "Basic c2VnOg==") == nil)
        let mixpanel = MixpanelFormat(isEngage: false)
        #expect(
            mixpanel.token(
                in: try envelope(mixpanel, #"[{"event": "e"}, {"event": "f", "properties": {"token": "mp"}}]"#), authorization: nil) == "mp"
        )
        #expect(throws: IngestError.self) { try envelope(mixpanel, "7") }
    }

    @Test func aPerItemSentAtCorrectsThatItemsClock() throws {
        let body =
            #"{"batch": [{"type": "track", "event": "e", "userId": "u", "timestamp": "2025-07-18T10:00:00Z", "sentAt": "2025-07-18T11:00:00Z"}]}"#
        let result = try payload(SegmentFormat(pathType: nil), body)
        #expect(result.events[0].timestamp == Date.at("2025-07-18T11:00:00Z"))
    }

    @Test func personPropertyUpdatesOver64KBAreRefusedWithTheirOwnCode() throws {
        let big = String(repeating: "x", count: 70_000)
        let posthog = try payload(
            PostHogFormat(),
            #"{"api_key": "k", "batch": [{"event": "a", "distinct_id": "u", "$set": {"bio": "\#(big)"}}, {"event": "b", "distinct_id": "u", "$set": {"ok": 1}}]}"#
        )
        #expect(posthog.events.map(\.event) == ["b"])
        #expect(posthog.dropped == ["PERSON_PROPERTIES_TOO_LARGE": 1])
        #expect(posthog.identity.count == 1)
        let engage = try payload(MixpanelFormat(isEngage: true), #"{"$token": "t", "$distinct_id": "d", "$set": {"bio": "\#(big)"}}"#)
        #expect(engage.identity.isEmpty && engage.dropped == ["PERSON_PROPERTIES_TOO_LARGE": 1])
        let segment = try payload(SegmentFormat(pathType: "identify"), #"{"userId": "u", "traits": {"bio": "\#(big)"}}"#)
        #expect(segment.events.isEmpty && segment.dropped == ["PERSON_PROPERTIES_TOO_LARGE": 1])
        do {
            _ = try payload(NativeFormat(), #"[{"event": "a", "user_id": "u", "$set_once": {"bio": "\#(big)"}}]"#)
            Issue.record("accepted an oversized $set_once")
        } catch let error as IngestError {
            #expect(error.code == .invalidEvents && error.details.map(\.code) == ["PERSON_PROPERTIES_TOO_LARGE"])
        }
    }
}
