@testable import Analytics
import Foundation
import PostgresNIO
import TestSupport
import Testing

/// Comparisons with a number on rolled-up columns are evaluated in Swift on the stored values' texts: each must read
/// a value exactly as the SQL of the raw path does (`(v ->> key)::float8` where `jsonb_typeof` is `number`).
@Suite struct StoredNumberTests {
    static let literals = [
        "0", "-0", "1", "-17", "57.3", "0.1", "0.30000000000000004441", "123456789012345678901234567890.5", "1e2", "1E-5",
        "2.5e+3", "-2.5e-3", "4.9e-324", "2.2250738585072014e-308", "1.7976931348623157e308", "9007199254740993", "1e400",
        "-1e400", "1e-400", "0.0000", "-0.0", #""12""#, #""-3""#, "true", "false", "null", "[1]", #"{"a": 1}"#,
    ]

    @Test func storedValuesAreReadAsPostgreSQLReadsThemAndOutOfRangeNumbersAreRefusedLikeIt() async throws {
        let database = try await TestDatabase.create()
        for literal in Self.literals {
            // The stored text is jsonb's own text of the value, as the rollup builder keeps it.
            let stored = try await database.asOwner("SELECT (\(literal)::jsonb)::text, jsonb_typeof(\(literal)::jsonb)")
            let (text, type) = try stored[0].decode((String, String).self)
            guard type == "number" else {
                #expect(try SegmentSource.number(ofJSON: text) == nil, "\(literal)")
                continue
            }
            let expected: Double?
            do {
                let rows = try await database.asOwner("SELECT (\(literal)::jsonb #>> '{}')::float8")
                expected = try rows[0].decode(Double.self)
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.sqlState] == "22003", "\(literal)")
                expected = nil
            }
            if let expected {
                let read = try SegmentSource.number(ofJSON: text)
                #expect(read?.bitPattern == expected.bitPattern, "\(literal): \(text) read as \(String(describing: read))")
            } else {
                #expect(throws: SegmentSource.NumberOutOfRange.self, "\(literal)") { try SegmentSource.number(ofJSON: text) }
            }
        }
    }

    @Test func comparisonsMeetTheirSQL() throws {
        let filter = { (op: PropertyFilter.Operator, value: Double) in PropertyFilter(key: "amount", op: op, value: .double(value)) }
        #expect(SegmentSource.meets(50.5, filter(.gt, 50)))
        #expect(!SegmentSource.meets(50, filter(.gt, 50)))
        #expect(SegmentSource.meets(50, filter(.gte, 50)))
        #expect(SegmentSource.meets(-1, filter(.lt, 0)))
        #expect(SegmentSource.meets(0, filter(.lte, 0)))
        #expect(!SegmentSource.meets(nil, filter(.lt, 1e300)))
    }
}
