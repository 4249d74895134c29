import Foundation
import GraphQL
import Ingest
import JSONCore
import Models

/// The entry points the libFuzzer executables (`fuzz/`, built by `make fuzz`) and the corpus replay test
/// (`Tests/FuzzTargetsTests`) share, so a crash the fuzzer found replays through exactly the code it crashed in.
///
/// Each takes arbitrary bytes and must end with a value or a thrown error: never a trap, an overflow, an
/// out-of-bounds access or a hang. Each reports the work it did as a count (JSON nodes, tokens), which the replay
/// test bounds by the input's length: a bound on time per input checked by counting, not by a clock.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The project's JSON parser (`JSONCore.JSONParser` through `Models.JSON.parse`, what ingestion uses).
    case json
    /// The ingestion body decoder (`Ingest.BodyDecoder`): gzip, form `data=`, base64 and JSON.
    case bodyDecoder = "body-decoder"
    /// The GraphQL lexer and parser.
    case graphql

    /// What one input did.
    public struct Outcome: Sendable, Equatable {
        /// Whether the input was accepted (a value) rather than refused (a thrown error).
        public var accepted: Bool
        /// Work done, counted: JSON values built, or GraphQL tokens and definitions.
        public var work: Int
        /// A broken invariant that is not a crash (the fuzz executables trap on it, the replay test reports it).
        public var problem: String?

        /// An outcome.
        public init(accepted: Bool, work: Int, problem: String? = nil) {
            self.accepted = accepted
            self.work = work
            self.problem = problem
        }
    }

    /// The body limit the body decoder is fuzzed with: small, so that decompression stays fast under the fuzzer.
    public static let bodyLimitBytes = 1 << 20

    /// The most work an input of `length` bytes may take. JSON values and GraphQL tokens cannot outnumber the input's
    /// bytes; the body decoder may inflate gzip up to its limit, and base64 or a form field never grows the body.
    public func workBound(forInputOf length: Int) -> Int {
        switch self {
        case .json, .graphql: 2 * (length + 1)
        case .bodyDecoder: 2 * (max(length, Self.bodyLimitBytes) + 1)
        }
    }

    /// Runs one input through the target.
    public func run(_ bytes: [UInt8]) -> Outcome {
        switch self {
        case .json:
            guard let value = try? JSON.parse(bytes: bytes) else { return Outcome(accepted: false, work: 0) }
            return Outcome(accepted: true, work: Self.count(value))
        case .bodyDecoder:
            return Self.decodeBody(bytes)
        case .graphql:
            return Self.parseGraphQL(bytes)
        }
    }

    /// The body decoder under each content type and encoding its callers pass; the first input byte picks one, so
    /// the fuzzer explores all of them.
    static func decodeBody(_ bytes: [UInt8]) -> Outcome {
        let variants: [(contentType: String?, encoding: String?, compression: String?)] = [
            ("application/json", nil, nil), ("application/x-www-form-urlencoded", nil, nil),
            ("text/plain", "gzip", nil), ("application/x-www-form-urlencoded", nil, "gzip-js"),
            (nil, nil, "base64"), ("application/json; charset=utf-8", "gzip", "gzip"), ("image/png", nil, nil),
            ("application/octet-stream", nil, "lz64"),
        ]
        let variant = variants[Int(bytes.first ?? 0) % variants.count]
        var limits = IngestLimits()
        limits.maxBodyBytes = bodyLimitBytes
        do {
            let decoded = try BodyDecoder.decode(
                Array(bytes.dropFirst()), contentType: variant.contentType, contentEncoding: variant.encoding,
                compression: variant.compression, limits: limits)
            return Outcome(accepted: true, work: count(decoded.json) + decoded.form.count)
        } catch {
            return Outcome(accepted: false, work: 0)
        }
    }

    /// Tokenizes, then parses with the server's limits; a parsed document is printed and parsed again, which
    /// must succeed (the printer's output is valid GraphQL).
    static func parseGraphQL(_ bytes: [UInt8]) -> Outcome {
        let source = Source(String(decoding: bytes, as: UTF8.self))
        guard let tokens = try? Lexer.tokenize(source) else { return Outcome(accepted: false, work: 0) }
        guard let document = try? GraphQL.parse(source) else { return Outcome(accepted: false, work: tokens.count) }
        let printed = GraphQL.print(document)
        guard let reparsed = try? GraphQL.parse(printed, options: ParseOptions(maxTokens: nil)) else {
            return Outcome(
                accepted: true, work: tokens.count, problem: "the printed form of a parsed document does not parse again:\n\(printed)")
        }
        return Outcome(accepted: true, work: tokens.count + document.definitions.count + reparsed.definitions.count)
    }

    /// How many JSON values `value` holds, itself included.
    static func count(_ value: JSON) -> Int {
        switch value {
        case .array(let elements): 1 + elements.reduce(0) { $0 + count($1) }
        case .object(let members): 1 + members.values.reduce(0) { $0 + count($1) }
        default: 1
        }
    }
}
