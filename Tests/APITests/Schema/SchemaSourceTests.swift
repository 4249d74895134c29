import Foundation
import GraphQL
import Testing

@testable import API
import Models

@Suite struct SchemaTests {
    static let schemaPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("schema.graphql").path

    @Test func theSchemaFileBuildsWithTheCustomScalars() throws {
        let schema = try SchemaSource.build(sdl: try SchemaSource.load(path: Self.schemaPath))
        #expect(schema.queryType?.name == "Query")
        #expect(schema.mutationType?.name == "Mutation")
    }

    @Test func aMissingSchemaFileNamesThePath() {
        do {
            _ = try SchemaSource.load(path: "/nonexistent/schema.graphql")
            Issue.record("loaded a missing file")
        } catch let error as ServiceError {
            #expect(error.message.contains("/nonexistent/schema.graphql"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func dateTimesAreRFC3339InUTC() throws {
        let date = try #require(DateTimeText.parse("2026-03-01T12:30:00+02:00"))
        #expect(DateTimeText.format(date) == "2026-03-01T10:30:00Z")
        #expect(DateTimeText.parse("2026-03-01T10:30:00.250Z").map(DateTimeText.format) == "2026-03-01T10:30:00.250Z")
        #expect(DateTimeText.parse("yesterday") == nil)
        #expect(DateTimeText.parse("2026-03-01") == nil)
        #expect(throws: (any Error).self) { try APIScalars.dateTime.parseValue(.string("nope")) }
        #expect(try APIScalars.dateTime.parseValue(.string("2026-03-01T12:30:00+02:00")) == .string("2026-03-01T10:30:00Z"))
    }
}
