import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Ingestion over HTTP, end to end against PostgreSQL: the native `/v1/events` endpoint and the PostHog, Segment and
/// Mixpanel paths, checked by what a client sees (status, body, headers) and what the events table then holds.
@Suite struct IngestControllerTests {
    /// A project with an INGEST token, in a freshly built application.
    struct Setup: Sendable {
        let api: GraphQLClient
        let database: TestDatabase
        let project: String
        let token: String
    }

    /// One stored event, as the database owner reads it.
    struct Stored: Sendable {
        let event: String
        let distinctID: String
        /// The properties as JSON text.
        let propertiesJSON: String

        var properties: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(propertiesJSON.utf8))) as? [String: Any] ?? [:]
        }
    }

    /// Builds the application on a fresh database, signs up, creates a project and an INGEST token, and runs `body`.
    static func run(extra: [String: String] = [:], _ body: @escaping @Sendable (Setup) async throws -> Void) async throws {
        let database = try await TestDatabase.create()
        let app = try await buildApplication(config: try GraphQLTestApp.config(database, extra: extra), logger: database.logger)
        try await app.test(.router) { client in
            let api = GraphQLClient(client: client)
            let owner = try await api.signUp("ingest")
            let project = try await api.createProject(owner.orgID, token: owner.token)
            let token = try await api.createToken(project, kind: "INGEST", token: owner.token).secret
            try await body(Setup(api: api, database: database, project: project, token: token))
        }
    }

    /// The project's events as the owner role sees them, by timestamp then name.
    static func stored(_ setup: Setup) async throws -> [Stored] {
        let project = try #require(UUID(uuidString: setup.project))
        let rows = try await setup.database.asOwner(
            "SELECT event, distinct_id, properties::text FROM events WHERE project_id = \(project) ORDER BY \"timestamp\", event")
        return try rows.map { row in
            let (event, distinctID, properties) = try row.decode((String, String, String).self)
            return Stored(event: event, distinctID: distinctID, propertiesJSON: properties)
        }
    }

    /// POSTs `body` to `uri` with a content type and, when given, an `Authorization` header.
    static func post(
        _ setup: Setup, _ uri: String, _ body: String, contentType: String? = "application/json", authorization: String? = nil
    ) async throws -> GraphQLReply {
        var headers: HTTPFields = [:]
        if let contentType { headers[.contentType] = contentType }
        if let authorization { headers[.authorization] = authorization }
        return try await setup.api.raw(uri, headers: headers, body: body)
    }

    /// The `error` member of a coded error body.
    static func error(_ reply: GraphQLReply) -> [String: Any] { reply.json["error"] as? [String: Any] ?? [:] }

    @Test func nativeEventIsAcceptedOnceStored() async throws {
        try await Self.run { setup in
            let reply = try await Self.post(
                setup, "/v1/events", #"{"event": "signed_up", "user_id": "u-1", "properties": {"plan": "pro", "seats": 3}}"#,
                authorization: "Bearer \(setup.token)")
            #expect(reply.status == .ok, "\(reply.body)")
            #expect(reply.contentType == "application/json")
            #expect(reply.body == #"{"accepted":1}"#)
            let stored = try await Self.stored(setup)
            #expect(stored.map(\.event) == ["signed_up"])
            #expect(stored.first?.distinctID == "u-1")
            #expect(stored.first?.properties["plan"] as? String == "pro")
            #expect(stored.first?.properties["seats"] as? Int == 3)

            // A batch is accepted whole; the count is the number of events.
            let batch = try await Self.post(
                setup, "/v1/events", #"{"batch": [{"event": "a", "user_id": "u-2"}, {"event": "b", "distinct_id": "u-3"}]}"#,
                authorization: "Bearer \(setup.token)")
            #expect(batch.status == .ok, "\(batch.body)")
            #expect(batch.json["accepted"] as? Int == 2)
            #expect(try await Self.stored(setup).count == 3)
        }
    }

    @Test func nativeBatchWithAnInvalidEventIsRejectedWhole() async throws {
        try await Self.run { setup in
            let body = """
                {"batch": [{"event": "ok", "user_id": "u-1"}, {"event": "", "user_id": "u-2"}, {"event": "no user"},
                           {"event": "late", "user_id": "u-4", "timestamp": "yesterday"}]}
                """
            let reply = try await Self.post(setup, "/v1/events", body, authorization: "Bearer \(setup.token)")
            #expect(reply.status == .badRequest, "\(reply.body)")
            #expect(reply.contentType == "application/json")
            let error = Self.error(reply)
            #expect(error["code"] as? String == "INVALID_EVENTS", "\(reply.body)")
            #expect((error["message"] as? String)?.isEmpty == false)
            let details = error["details"] as? [[String: Any]] ?? []
            #expect(details.compactMap { $0["index"] as? Int } == [1, 2, 3], "\(reply.body)")
            #expect(details.compactMap { $0["code"] as? String } == ["INVALID_EVENT_NAME", "INVALID_DISTINCT_ID", "INVALID_TIMESTAMP"])
            #expect(details.allSatisfy { ($0["message"] as? String)?.isEmpty == false })
            #expect(try await Self.stored(setup).isEmpty)
        }
    }

    @Test func nativeTokenIsCheckedBeforeTheBodyIsRead() async throws {
        try await Self.run { setup in
            let event = #"{"event": "e", "user_id": "u"}"#
            let cases: [(String, String?, String)] = [
                ("wrong token, body not JSON", "Bearer iv_ing_not_a_real_token", "this is not JSON"),
                ("wrong token, valid body", "Bearer iv_ing_not_a_real_token", event),
                ("no Authorization", nil, event),
                ("token as HTTP Basic", "Basic " + Data("\(setup.token):".utf8).base64EncodedString(), event),
                ("empty bearer", "Bearer ", event),
            ]
            for (name, authorization, body) in cases {
                let reply = try await Self.post(setup, "/v1/events", body, authorization: authorization)
                #expect(reply.status == .unauthorized, "\(name): \(reply.body)")
                #expect(Self.error(reply)["code"] as? String == "INVALID_TOKEN", "\(name): \(reply.body)")
            }
            // With the right token the same body is a body error.
            let bad = try await Self.post(setup, "/v1/events", "this is not JSON", authorization: "Bearer \(setup.token)")
            #expect(bad.status == .badRequest, "\(bad.body)")
            #expect(Self.error(bad)["code"] as? String == "INVALID_BODY")
            #expect(try await Self.stored(setup).isEmpty)
        }
    }

    @Test func bodyOverTheLimitAndUnsupportedContentTypesAreRefused() async throws {
        try await Self.run(extra: ["IV_INGEST_MAX_BODY_BYTES": "1024"]) { setup in
            let padding = String(repeating: "x", count: 2_000)
            let large = try await Self.post(
                setup, "/v1/events", #"{"event": "big", "user_id": "u", "properties": {"note": "\#(padding)"}}"#,
                authorization: "Bearer \(setup.token)")
            #expect(large.status == .contentTooLarge, "\(large.body)")
            #expect(Self.error(large)["code"] as? String == "BODY_TOO_LARGE")
            // The limit holds for the SDK paths too, where the token is inside the body.
            let capture = try await Self.post(
                setup, "/capture/",
                #"{"api_key": "\#(setup.token)", "event": "big", "distinct_id": "u", "properties": {"n": "\#(padding)"}}"#)
            #expect(capture.status == .contentTooLarge, "\(capture.body)")

            let xml = try await Self.post(
                setup, "/v1/events", "<event name=\"x\"/>", contentType: "application/xml", authorization: "Bearer \(setup.token)")
            #expect(xml.status == .unsupportedMediaType, "\(xml.body)")
            #expect(Self.error(xml)["code"] as? String == "UNSUPPORTED_MEDIA_TYPE")
            let multipart = try await Self.post(
                setup, "/batch/", #"{"api_key": "\#(setup.token)", "batch": []}"#, contentType: "multipart/form-data; boundary=x")
            #expect(multipart.status == .unsupportedMediaType, "\(multipart.body)")

            // Under the limit, with a charset parameter, the same endpoint accepts.
            let small = try await Self.post(
                setup, "/v1/events", #"{"event": "small", "user_id": "u"}"#, contentType: "application/json; charset=utf-8",
                authorization: "Bearer \(setup.token)")
            #expect(small.status == .ok, "\(small.body)")
            #expect(try await Self.stored(setup).map(\.event) == ["small"])
        }
    }

    @Test func postHogBatchDropsInvalidEventsAndStoresTheRest() async throws {
        try await Self.run { setup in
            let body = """
                {"api_key": "\(setup.token)", "batch": [
                  {"event": "$pageview", "distinct_id": "u-1", "timestamp": "2026-01-05T10:00:00Z",
                   "properties": {"$current_url": "https://example.com/"}},
                  {"event": "$pageview", "timestamp": "2026-01-05T10:00:01Z"},
                  {"event": "clicked", "timestamp": "2026-01-05T10:00:02Z", "properties": {"distinct_id": "u-2", "token": "secret"}}
                ]}
                """
            let reply = try await Self.post(setup, "/batch/", body)
            #expect(reply.status == .ok, "\(reply.body)")
            #expect(reply.body == #"{"status":1}"#)
            let stored = try await Self.stored(setup)
            #expect(stored.map(\.event) == ["$pageview", "clicked"])
            #expect(stored.map(\.distinctID) == ["u-1", "u-2"])
            #expect(stored.first?.properties["$current_url"] as? String == "https://example.com/")
            // Credentials and lifted columns are not kept as properties.
            #expect(stored.last?.properties["token"] == nil)
            #expect(stored.last?.properties["distinct_id"] == nil)

            let unknown = try await Self.post(setup, "/capture/", #"{"api_key": "phc_unknown", "event": "e", "distinct_id": "u"}"#)
            #expect(unknown.status == .unauthorized, "\(unknown.body)")
            #expect(Self.error(unknown)["code"] as? String == "INVALID_TOKEN")
            #expect(try await Self.stored(setup).count == 2)
        }
    }

    @Test func segmentTrackWithTheWriteKeyAsBasicUser() async throws {
        try await Self.run { setup in
            let basic = "Basic " + Data("\(setup.token):".utf8).base64EncodedString()
            let body = #"{"event": "Order Completed", "userId": "u-9", "messageId": "m-1", "properties": {"revenue": 42}}"#
            let reply = try await Self.post(setup, "/v1/track", body, authorization: basic)
            #expect(reply.status == .ok, "\(reply.body)")
            #expect(reply.body == #"{"success":true}"#)
            let stored = try await Self.stored(setup)
            #expect(stored.map(\.event) == ["Order Completed"])
            #expect(stored.first?.distinctID == "u-9")
            #expect(stored.first?.properties["revenue"] as? Int == 42)

            let keyless = try await Self.post(setup, "/v1/track", body)
            #expect(keyless.status == .unauthorized, "\(keyless.body)")
            #expect(Self.error(keyless)["code"] as? String == "INVALID_TOKEN")
        }
    }

    @Test func mixpanelTrackFormEncodedAnswersOneOrVerboseStatus() async throws {
        try await Self.run { setup in
            func form(_ event: String) throws -> String {
                let properties = #"{"token": "\#(setup.token)", "distinct_id": "mp-1", "source": "é+/?"}"#
                let json = #"[{"event": "\#(event)", "properties": \#(properties)}]"#
                let data = Data(json.utf8).base64EncodedString()
                var allowed = CharacterSet.alphanumerics
                allowed.insert(charactersIn: "-._~")
                return "data=" + (try #require(data.addingPercentEncoding(withAllowedCharacters: allowed)))
            }
            let contentType = "application/x-www-form-urlencoded"
            let plain = try await Self.post(setup, "/track", try form("opened"), contentType: contentType)
            #expect(plain.status == .ok, "\(plain.body)")
            #expect(plain.body == "1")
            #expect(plain.contentType == "text/plain")

            let verboseQuery = try await Self.post(setup, "/track?verbose=1", try form("viewed"), contentType: contentType)
            #expect(verboseQuery.status == .ok, "\(verboseQuery.body)")
            #expect(verboseQuery.body == #"{"status":1}"#)
            let verboseForm = try await Self.post(setup, "/track", try form("closed") + "&verbose=1", contentType: contentType)
            #expect(verboseForm.body == #"{"status":1}"#)

            let stored = try await Self.stored(setup)
            #expect(Set(stored.map(\.event)) == ["opened", "viewed", "closed"])
            #expect(stored.allSatisfy { $0.distinctID == "mp-1" })
            #expect(stored.allSatisfy { $0.properties["source"] as? String == "é+/?" && $0.properties["token"] == nil })
        }
    }

    @Test func corsPreflightIsAnsweredForBrowserSDKs() async throws {
        try await Self.run { setup in
            let origin = "https://app.example.com"
            // Browsers send a preflight before the POST: every ingestion path answers it with the CORS headers.
            for path in ["/v1/events", "/capture/", "/v1/track", "/track"] {
                let preflight = try await setup.api.raw(
                    path, method: .options,
                    headers: [
                        .origin: origin, .accessControlRequestMethod: "POST",
                        .accessControlRequestHeaders: "authorization, content-type",
                    ])
                #expect(preflight.status == .noContent || preflight.status == .ok, "\(path): \(preflight.status)")
                #expect(preflight.headers[.accessControlAllowOrigin] == origin, "\(path)")
                #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true, "\(path)")
                #expect(preflight.headers[.accessControlAllowHeaders]?.lowercased().contains("authorization") == true, "\(path)")
            }
            // The actual request carries the origin back too.
            let reply = try await setup.api.raw(
                "/v1/events", headers: [.origin: origin, .contentType: "application/json", .authorization: "Bearer \(setup.token)"],
                body: #"{"event": "e", "user_id": "u"}"#)
            #expect(reply.status == .ok, "\(reply.body)")
            #expect(reply.headers[.accessControlAllowOrigin] == origin)
        }
    }
}
