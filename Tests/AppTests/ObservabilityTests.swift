import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import App

@Suite struct ObservabilityTests {
    @Test func requestIDsFromClientsAreKeptOnlyWhenTheyAreShortAndPlain() {
        #expect(RequestIDs.accepted("abc-123") == "abc-123")
        #expect(RequestIDs.accepted("trace:01HZX.4_a") == "trace:01HZX.4_a")
        #expect(RequestIDs.accepted(String(repeating: "a", count: 128)) == String(repeating: "a", count: 128))
        #expect(RequestIDs.accepted(String(repeating: "a", count: 129)) == nil)
        #expect(RequestIDs.accepted("") == nil)
        #expect(RequestIDs.accepted(nil) == nil)
        for bad in ["two words", "quote\"", "line\nbreak", "brace{", "ümlaut", "a/b", "a=b"] {
            #expect(RequestIDs.accepted(bad) == nil, "\(bad)")
        }
    }

    @Test func routeAndMethodLabelsComeFromFixedSets() {
        #expect(ObservedResponder<NeverResponder>.route("/graphql") == "/graphql")
        #expect(ObservedResponder<NeverResponder>.route("/**") == "/**")
        #expect(ObservedResponder<NeverResponder>.route("NotFound") == "unmatched")
        #expect(ObservedResponder<NeverResponder>.route(nil) == "unmatched")
        #expect(ObservedResponder<NeverResponder>.method(.post) == "POST")
        #expect(ObservedResponder<NeverResponder>.method(HTTPRequest.Method("PROPFIND")!) == "other")
    }

    @Test func durationsAreLoggedInMillisecondsWithThreeDecimals() {
        #expect(ObservedResponder<NeverResponder>.milliseconds(.microseconds(1_234_567)) == "1234.567")
        #expect(ObservedResponder<NeverResponder>.milliseconds(.microseconds(5)) == "0.005")
        #expect(ObservedResponder<NeverResponder>.milliseconds(.milliseconds(2)) == "2.000")
        #expect(ObservedResponder<NeverResponder>.milliseconds(.zero) == "0.000")
    }

    @Test func theMetricsAddressIsHostAndPortOrOff() throws {
        #expect(try AppConfig(values: [:]).metricsAddress! == ("127.0.0.1", 9464))
        #expect(try AppConfig(values: ["IV_METRICS_ADDRESS": "0.0.0.0:9100"]).metricsAddress! == ("0.0.0.0", 9100))
        #expect(try AppConfig(values: ["IV_METRICS_ADDRESS": "[::1]:9464"]).metricsAddress! == ("::1", 9464))
        #expect(try AppConfig(values: ["IV_METRICS_ADDRESS": "off"]).metricsAddress == nil)
        for bad in ["9464", "localhost", ":9464", "127.0.0.1:70000", "127.0.0.1:port"] {
            #expect(throws: ConfigError.self, "\(bad)") { try AppConfig(values: ["IV_METRICS_ADDRESS": bad]) }
        }
    }

    @Test func jsonLinesCarryTheRequestIDAsRequestID() throws {
        var pipe: [Int32] = [0, 0]
        #expect(Glibc.pipe(&pipe) == 0)
        defer { close(pipe[0]) }
        var handler = JSONLogHandler(label: "test", fileDescriptor: pipe[1])
        handler.metadata = ["hb.request.id": "r-1"]
        handler.log(
            event: .init(
                level: .info, message: "request", metadata: ["route": "/graphql", "note": "a \"quoted\"\nline"], source: "t",
                file: #fileID, function: #function, line: #line))
        close(pipe[1])
        var bytes = [UInt8](repeating: 0, count: 4_096)
        let count = read(pipe[0], &bytes, bytes.count)
        let line = try #require(String(bytes: bytes[..<max(0, count)], encoding: .utf8))
        #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["request_id"] == "r-1" && object["hb.request.id"] == nil)
        #expect(object["msg"] == "request" && object["level"] == "info" && object["route"] == "/graphql")
        #expect(object["note"] == "a \"quoted\"\nline")
    }
}

/// A responder type to name `ObservedResponder`'s static helpers with.
struct NeverResponder: HTTPResponder {
    typealias Context = AppRequestContext
    func respond(to request: Request, context: AppRequestContext) async throws -> Response { Response(status: .ok) }
}
