import Foundation
@testable import Ingest
import Models
import Testing

@Suite struct BodyDecoderTests {
    @Test func nulEscapesBecomeTheReplacementCharacterButEscapedBackslashesStayText() throws {
        func decode(_ text: String) throws -> JSON {
            try BodyDecoder.decode(
                Array(text.utf8), contentType: "application/json", contentEncoding: nil, compression: nil, limits: IngestLimits()
            )
            .json
        }
        #expect(try decode(#"{"a\u0000": ["\u0000x"]}"#) == .object(["a\u{FFFD}": .array([.string("\u{FFFD}x")])]))
        #expect(try decode(#"{"a": "\\u0000"}"#) == .object(["a": .string(#"\u0000"#)]))
        #expect(BodyDecoder.containsNULEscape(Array(#"["\\u0000"]"#.utf8)) == false)
        #expect(BodyDecoder.containsNULEscape(Array(#"["\\\u0000"]"#.utf8)) == true)
    }

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
            try BodyDecoder.decode(
                Array(json.utf8), contentType: "application/xml", contentEncoding: nil, compression: nil, limits: IngestLimits())
        }
        #expect(throws: IngestError.self) {
            try BodyDecoder.decode(
                Array("{nope".utf8), contentType: "application/json", contentEncoding: nil, compression: nil, limits: IngestLimits())
        }
    }
}

extension Date {
    static func at(_ text: String) -> Date { try! Date.ISO8601FormatStyle().parse(text) }
}
