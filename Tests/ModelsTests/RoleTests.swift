import Foundation
import Models
import Testing

@Suite struct RoleTests {
    @Test func rolesAreOrderedOwnerAdminMemberViewer() {
        #expect(Role.allCases.sorted(by: >) == [.owner, .admin, .member, .viewer])
        #expect(Role.admin.includes(.member))
        #expect(!Role.viewer.includes(.member))
        #expect(Role.owner.includes(.owner))
    }

    @Test func rawValuesMatchTheDatabaseAndGraphQLEnum() {
        #expect(Role(rawValue: "ADMIN") == .admin)
        #expect(Role(rawValue: "admin") == nil)
        #expect(TokenKind(rawValue: "INGEST") == .ingest)
    }
}

@Suite struct IdentifierTests {
    @Test func parsesAndPrintsLowercaseUUIDs() throws {
        let id = try #require(Org.ID(uuidString: "8F0E2B9A-1C3D-4E5F-9A7B-0C1D2E3F4A5B"))
        #expect(id.description == "8f0e2b9a-1c3d-4e5f-9a7b-0c1d2e3f4a5b")
        #expect(Project.ID(uuidString: "not-a-uuid") == nil)
    }

    @Test func randomIDsDiffer() {
        #expect(Org.ID.random() != Org.ID.random())
    }
}
