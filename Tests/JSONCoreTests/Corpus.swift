/// What a corpus input must parse to.
enum Expectation: Sendable {
    /// This tree (compared with sorted keys for the unordered `Models.JSON`).
    case value(Canon)
    /// A rejection at this byte offset.
    case invalid(offset: Int)
}

/// One hand-written input with its expectation.
struct CorpusEntry: Sendable, CustomStringConvertible {
    /// The input bytes.
    var bytes: [UInt8]
    /// What must come out.
    var expectation: Expectation

    /// The input, printable.
    var description: String {
        let text = String(decoding: bytes.prefix(60), as: UTF8.self)
        return String(reflecting: text) + (bytes.count > 60 ? "… (\(bytes.count) bytes)" : "")
    }

    /// A valid input.
    static func valid(_ text: String, _ tree: Canon) -> CorpusEntry { CorpusEntry(bytes: Array(text.utf8), expectation: .value(tree)) }

    /// A valid input given as bytes.
    static func valid(bytes: [UInt8], _ tree: Canon) -> CorpusEntry { CorpusEntry(bytes: bytes, expectation: .value(tree)) }

    /// An input rejected at `offset`.
    static func invalid(_ text: String, at offset: Int) -> CorpusEntry {
        CorpusEntry(bytes: Array(text.utf8), expectation: .invalid(offset: offset))
    }

    /// An input given as bytes, rejected at `offset`.
    static func invalid(bytes: [UInt8], at offset: Int) -> CorpusEntry { CorpusEntry(bytes: bytes, expectation: .invalid(offset: offset)) }
}

/// Hand-written edge cases: escapes, surrogates, numbers at the limits, nesting, repeated keys, invalid documents.
enum Corpus {
    /// `n` nested arrays around `inner`.
    static func nestedArrays(_ n: Int, _ inner: String = "") -> String {
        String(repeating: "[", count: n) + inner + String(repeating: "]", count: n)
    }

    /// `n` nested objects `{"a": … }` around `inner`.
    static func nestedObjects(_ n: Int, _ inner: String = "0") -> String {
        String(repeating: #"{"a":"#, count: n) + inner + String(repeating: "}", count: n)
    }

    /// The tree of `n` nested arrays around `inner`.
    static func nestedArraysTree(_ n: Int, _ inner: [Canon] = []) -> Canon {
        var tree = Canon.array(inner)
        for _ in 1..<n { tree = .array([tree]) }
        return tree
    }

    /// The tree of `n` nested objects around `inner`.
    static func nestedObjectsTree(_ n: Int, _ inner: Canon = 0) -> Canon {
        var tree = inner
        for _ in 0..<n { tree = ["a": tree] }
        return tree
    }

    /// Literals, whitespace and numbers.
    static let scalars: [CorpusEntry] = [
        .valid("null", nil), .valid("true", true), .valid("false", false), .valid(" \t\n\r null \t\n\r ", nil),
        .valid("0", 0), .valid("-0", 0), .valid("-0.0", .real(-0.0)), .valid("0.0", 0.0), .valid("1", 1), .valid("-1", -1),
        .valid("123", 123), .valid("9223372036854775807", .int(.max)), .valid("-9223372036854775808", .int(.min)),
        .valid("9223372036854775808", 9_223_372_036_854_775_808.0), .valid("-9223372036854775809", -9_223_372_036_854_775_809.0),
        .valid("123456789012345678901234567890", 1.2345678901234568e29), .valid("1e2", 100.0), .valid("1E2", 100.0),
        .valid("1e+2", 100.0), .valid("1e-2", 0.01), .valid("1.5", 1.5), .valid("-1.5e-3", -0.0015), .valid("0e0", 0.0),
        .valid("0.1", 0.1), .valid("1e308", 1e308), .valid("1.7976931348623157e308", .real(.greatestFiniteMagnitude)),
        .valid("4.9e-324", .real(.leastNonzeroMagnitude)), .valid("1e-400", 0.0), .valid("-1e-400", .real(-0.0)),
        .valid("100000000000000000000000000000000000000000", 1e41), .valid("1.0", 1.0), .valid("10.0e0", 10.0),
        .valid("0.30000000000000004", 0.30000000000000004), .valid("[-0, 0, -0.0]", [0, 0, .real(-0.0)]),
    ]

    /// Strings: escapes, surrogates, raw UTF-8, invalid UTF-8 (repaired to U+FFFD).
    static let strings: [CorpusEntry] = [
        .valid(#""""#, ""), .valid(#""abc""#, "abc"), .valid(#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
        .valid(#""\u0041\u00e9\u4E2D""#, "Aé中"), .valid(#""\ud83d\ude00""#, "😀"), .valid(#""\uD83D\uDE00""#, "😀"),
        .valid(#""\u0000""#, "\u{0}"), .valid(#""\udc00""#, "\u{FFFD}"), .valid(#""\ud800""#, "\u{FFFD}"),
        .valid(#""\ud800x""#, "\u{FFFD}x"), .valid(#""\ud800\n""#, "\u{FFFD}\n"), .valid(#""a\ud800""#, "a\u{FFFD}"),
        .valid(#""\udbff\udfff""#, "\u{10FFFF}"), .valid(#""\ud800\udc00""#, "\u{10000}"), .valid(#""\uffff""#, "\u{FFFF}"),
        .valid("\"é中😀\u{7F}\"", "é中😀\u{7F}"), .valid(bytes: [0x22, 0xFF, 0x22], "\u{FFFD}"),
        .valid(bytes: [0x22, 0xC3, 0x22], "\u{FFFD}"), .valid(bytes: [0x22, 0x5C, 0x6E, 0xFF, 0x22], "\n\u{FFFD}"),
        .valid(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], "\u{FFFD}\u{FFFD}\u{FFFD}"),
        .valid(#"["\ud800", "\ud800"]"#, ["\u{FFFD}", "\u{FFFD}"]), .valid(#""x\u002F\u005c""#, "x/\\"),
        // A lone high surrogate before another escape: U+FFFD, then that escape on its own (the old Models parser
        // turned both escapes into one U+FFFD).
        .valid(#""\ud800\u0041""#, "\u{FFFD}A"), .valid(#""\ud800\ud800\udc00""#, "\u{FFFD}\u{10000}"),
        .valid(#""\udbff\ud83d\ude00!""#, "\u{FFFD}😀!"), .valid(#""\ud800\n\udc00""#, "\u{FFFD}\n\u{FFFD}"),
        .valid(#""\ud800\udbff""#, "\u{FFFD}\u{FFFD}"),
    ]

    /// Arrays, objects, repeated keys and nesting depth.
    static let containers: [CorpusEntry] = [
        .valid("[]", []), .valid("{}", [:]), .valid("[ ]", []), .valid("{ }", [:]), .valid("[1,[2,[3]]]", [1, [2, [3]]]),
        .valid(#"{"a":{"b":[]}}"#, ["a": ["b": []]]), .valid(#"{"a":1,"b":2,"a":3}"#, ["a": 3, "b": 2]),
        .valid(#"{"":0}"#, ["": 0]), .valid(#"{"\u0061":1, "a":2}"#, ["a": 2]), .valid(#"{"z":1,"y":2,"x":3}"#, ["z": 1, "y": 2, "x": 3]),
        .valid(#" [ 1 , "a" , { } , [ ] , null ] "#, [1, "a", [:], [], nil]),
        .valid(#"{"a":[{"b":null,"c":true}],"d":-0.5}"#, ["a": [["b": nil, "c": true]], "d": -0.5]),
        .valid(nestedArrays(512), nestedArraysTree(512)), .valid(nestedArrays(512, "7"), nestedArraysTree(512, [7])),
        .valid(nestedObjects(512), nestedObjectsTree(512)), .valid(nestedObjects(511, "[]"), nestedObjectsTree(511, [])),
        .invalid(nestedArrays(513), at: 512), .invalid(nestedObjects(513), at: 512 * 5), .invalid(nestedArrays(100_000), at: 512),
        .invalid(nestedObjects(512, "[]"), at: 512 * 5),
    ]

    /// Documents both parsers reject, with where.
    static let invalid: [CorpusEntry] = [
        .invalid("", at: 0), .invalid(" ", at: 1), .invalid("{", at: 1), .invalid("[", at: 1), .invalid("[1,]", at: 3),
        .invalid(#"{"a" 1}"#, at: 5), .invalid(#"{"a":1,}"#, at: 7), .invalid("{a:1}", at: 1), .invalid("01", at: 1),
        .invalid("[01]", at: 2), .invalid("1.", at: 2), .invalid(".5", at: 0), .invalid("1e", at: 2), .invalid("1e+", at: 3),
        .invalid("1.e5", at: 2), .invalid("True", at: 0), .invalid("\"abc", at: 4), .invalid("\"\u{1}\"", at: 1),
        .invalid("\"a\nb\"", at: 2), .invalid(#""\x""#, at: 2), .invalid(#""\u12""#, at: 3), .invalid(#""\u12G4""#, at: 5),
        .invalid(#""\"#, at: 2), .invalid(#""\ud800\u12""#, at: 9), .invalid(#""\ud800\uZZZZ""#, at: 9), .invalid("[1] 2", at: 4),
        .invalid("{} x", at: 3), .invalid(bytes: [0xEF, 0xBB, 0xBF, 0x7B, 0x7D], at: 0), .invalid("'s'", at: 0),
        .invalid("NaN", at: 0), .invalid("Infinity", at: 0), .invalid("+1", at: 0), .invalid("0x10", at: 1),
        .invalid("1.5.2", at: 3), .invalid("[1 2]", at: 3), .invalid(#"{"a":1 "b":2}"#, at: 7), .invalid("[,1]", at: 1),
        .invalid("\u{0}", at: 0), .invalid("[1]\u{0}", at: 3), .invalid("\u{C}1", at: 0), .invalid("\u{A0}1", at: 0),
        .invalid(#"{"a":}"#, at: 5), .invalid(#"{"a"}"#, at: 4), .invalid("[1}", at: 2), .invalid(#"{"a":1]"#, at: 6),
        .invalid("\"\t\"", at: 1), .invalid("[\"a\",]", at: 5), .invalid("{\"a\":1,,}", at: 7), .invalid("-01", at: 2),
    ]

    /// Documents on which the two original parsers disagreed, with the behaviour kept: numbers beyond `Double` range
    /// are rejected at their start (the GraphQL parser took them as infinities); a bad literal is reported at its
    /// first wrong byte, a '-' without digits just after the '-' (the Models parser pointed at their start).
    static let formerDisagreements: [CorpusEntry] = [
        .invalid("1e400", at: 0), .invalid("-1e400", at: 0), .invalid("[1e999]", at: 1),
        .invalid("1" + String(repeating: "0", count: 400), at: 0),
        .invalid("[1, 1.8e308]", at: 4), .invalid("-", at: 1), .invalid("-a", at: 1), .invalid("-Infinity", at: 1), .invalid("tru", at: 3),
        .invalid("trux", at: 3), .invalid("[nul]", at: 4), .invalid("fals", at: 4), .invalid("nulL", at: 3),
    ]

    /// Numbers around the parser's exact double path (at most 19 significant digits below 2^53, decimal exponent
    /// within ±22) and its limits: each must equal the standard library's conversion of the same text.
    static let numbers: [CorpusEntry] = [
        "9007199254740993.0", "9007199254740992.5", "0.1e-22", "1e22", "1e23", "123456789012345678e-5", "4.35679e-1",
        "2.2250738585072014e-308", "2.2250738585072011e-308", "17976931348623157e292", "0.000000000000000000000000001",
        "1.00000000000000011102230246251565404236316680908203125", "0.30000000000000004", "1234567890123456789.5",
        "12345678901234567890e-10", "0.00000000000000000000001234567890123456789", "-0e-5", "-0.0e+0", "1e-22", "1e+22",
        "8.98846567431158e307", "5e-324", "2.4703282292062328e-324", "2.4703282292062327e-324", "1.5e-323", "1e0000000000000000001",
        "1e-0000000000000000001", "100e-2", "9999999999999999999", "99999999999999999999", "1" + String(repeating: "0", count: 308),
    ].map { .valid($0, .real(Double($0)!)) }

    /// Every entry.
    static let all: [CorpusEntry] = scalars + strings + containers + invalid + formerDisagreements + numbers
}
