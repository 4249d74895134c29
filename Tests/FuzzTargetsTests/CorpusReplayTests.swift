import Foundation
import FuzzTargets
import Testing

/// Replays every kept fuzzing input (`fuzz/corpus/<target>/`, minimized by `make fuzz`) and every crash the fuzzer
/// ever found (`fuzz/crashes/<target>/`, kept as regression inputs) through the entry points the fuzz executables
/// call. Each input must end in a value or an error, never a crash, with work bounded by its length.
@Suite struct CorpusReplayTests {
    /// The repository's `fuzz/` directory.
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fuzz")

    /// The files of `fuzz/<kind>/<target>/` (none if the directory does not exist), sorted by name.
    static func inputs(_ kind: String, _ target: FuzzTarget) throws -> [URL] {
        let directory = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test("every kept corpus and crash input replays without a crash, with bounded work", arguments: FuzzTarget.allCases)
    func replay(target: FuzzTarget) throws {
        let corpus = try Self.inputs("corpus", target)
        // A committed corpus that went missing would make this test pass vacuously.
        #expect(corpus.count >= 10, "fuzz/corpus/\(target.rawValue) holds \(corpus.count) inputs; run make fuzz")
        var accepted = 0
        for file in try corpus + Self.inputs("crashes", target) {
            let bytes = try [UInt8](Data(contentsOf: file))
            let outcome = target.run(bytes)
            #expect(outcome.problem == nil, "\(file.lastPathComponent): \(outcome.problem ?? "")")
            #expect(
                outcome.work <= target.workBound(forInputOf: bytes.count),
                "\(file.lastPathComponent): work \(outcome.work) for \(bytes.count) bytes")
            if outcome.accepted { accepted += 1 }
        }
        // The corpus covers the accepting paths too, not only early refusals.
        #expect(accepted > 0)
    }

    @Test("the entry points accept what their callers send and refuse garbage")
    func entryPoints() {
        #expect(FuzzTarget.json.run(Array(#"{"a": [1, 2.5, "x", null, true]}"#.utf8)) == .init(accepted: true, work: 7))
        #expect(!FuzzTarget.json.run(Array("{".utf8)).accepted)
        // First byte 0 picks application/json.
        #expect(FuzzTarget.bodyDecoder.run([0] + Array(#"[{"event": "e"}]"#.utf8)).accepted)
        #expect(!FuzzTarget.bodyDecoder.run([0] + Array("not json".utf8)).accepted)
        #expect(FuzzTarget.graphql.run(Array("query Q { a(x: [1, {y: $v}]) @d { ...F } }".utf8)).accepted)
        #expect(!FuzzTarget.graphql.run(Array("query {".utf8)).accepted)
    }
}
