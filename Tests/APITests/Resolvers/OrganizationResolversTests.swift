import Foundation
import GraphQL
import Testing

/// The organization resolvers (`organization`, `project`, members, projects and API tokens with their mutations)
/// through the API's engine over real services: fields read with the caller's rights, role rules, and other
/// organizations' objects answered exactly like unknown IDs.
@Suite struct OrganizationResolversTests {
    static let organization = """
        query($o: ID!) { organization(id: $o) { id name members { role user { id email } } projects { id name }
          apiTokens { id kind name project { id } } } }
        """

    @Test func organizationFieldsShowProjectsMembersAndTokens() async throws {
        try await ResolverHarness.run { api in
            let owner = try await api.signUp("owner")
            let created = try await api.execute(
                """
                mutation($o: ID!) { createProject(input: {organizationId: $o, name: " Web ", timezone: "Europe/Paris", retentionDays: 30}) {
                  id name timezone retentionDays organization { id } } }
                """, ["o": owner.orgID], token: owner.token)
            #expect(created.errors.isEmpty, "\(created)")
            let project = try #require(created.string("createProject.id"))
            #expect(created.string("createProject.name") == "Web")
            #expect(created.string("createProject.timezone") == "Europe/Paris")
            #expect(created.int("createProject.retentionDays") == 30)
            #expect(created.string("createProject.organization.id") == owner.orgID)
            let defaults = try await api.execute(
                "mutation($o: ID!) { createProject(input: {organizationId: $o, name: \"App\"}) { timezone retentionDays } }",
                ["o": owner.orgID], token: owner.token)
            #expect(defaults.string("createProject.timezone") == "UTC")
            #expect(defaults.value("createProject.retentionDays") == nil)

            let ingest = try await api.execute(
                """
                mutation($p: ID!) { createApiToken(input: {projectId: $p, name: "sdk", kind: INGEST}) {
                  token apiToken { id kind prefix scopes project { id } } } }
                """, ["p": project], token: owner.token)
            #expect(ingest.errors.isEmpty, "\(ingest)")
            let secret = try #require(ingest.string("createApiToken.token"))
            #expect(secret.hasPrefix(try #require(ingest.string("createApiToken.apiToken.prefix"))))
            #expect(ingest.string("createApiToken.apiToken.kind") == "INGEST")
            #expect(ingest.string("createApiToken.apiToken.project.id") == project)
            let pat = try await api.personalToken(project, scopes: ["READ"], token: owner.token)
            #expect(pat.hasPrefix("iv_pat_"))

            let member = try await api.signUp("member")
            try await api.addMember(member, to: owner.orgID, role: "MEMBER", token: owner.token)

            let org = try await api.execute(Self.organization, ["o": owner.orgID], token: owner.token)
            #expect(org.errors.isEmpty, "\(org)")
            #expect(org.string("organization.name") == "owner's org")
            #expect(Set(org.strings("organization.projects", "name")) == ["Web", "App"])
            let members = org.list("organization.members")
            #expect(members.compactMap { $0["role"]?.stringValue } == ["OWNER", "MEMBER"])
            #expect(members.compactMap { $0["user"]?["email"]?.stringValue } == [owner.email, member.email])
            #expect(Set(org.strings("organization.apiTokens", "kind")) == ["INGEST", "PERSONAL"])

            // `project` reaches its organization; the member sees the projects but only their own tokens (none).
            let one = try await api.execute(
                "query($p: ID!) { project(id: $p) { name organization { id name } } }", ["p": project], token: member.token)
            #expect(one.string("project.name") == "Web", "\(one)")
            #expect(one.string("project.organization.id") == owner.orgID)
            let seen = try await api.execute(Self.organization, ["o": owner.orgID], token: member.token)
            #expect(seen.list("organization.projects").count == 2)
            #expect(seen.list("organization.apiTokens").isEmpty)

            // A revoked personal token stops working at once.
            let patID = try #require(
                org.list("organization.apiTokens").first { $0["kind"]?.stringValue == "PERSONAL" }?["id"]?.stringValue)
            let revoked = try await api.execute(
                "mutation($t: ID!) { revokeApiToken(id: $t) { id revokedAt } }", ["t": patID], token: owner.token)
            #expect(revoked.string("revokeApiToken.revokedAt") != nil, "\(revoked)")
            #expect(try await api.execute("{ me { id } }", token: pat).codes == ["UNAUTHENTICATED"])
        }
    }

    @Test func anotherOrganizationsObjectsAreNotFoundLikeUnknownIDs() async throws {
        try await ResolverHarness.run { api in
            let owner = try await api.signUp("owner")
            let stranger = try await api.signUp("stranger")
            let project = try await api.createProject(owner.orgID, token: owner.token)

            for id in [owner.orgID, UUID().uuidString, "not-a-uuid"] {
                let reply = try await api.execute(Self.organization, ["o": id], token: stranger.token)
                #expect(reply.codes == ["NOT_FOUND"], "\(id): \(reply)")
                #expect(reply.messages == ["organization not found"])
                #expect(reply.value("organization") == nil)
            }
            for id in [project, UUID().uuidString] {
                let read = try await api.execute("query($p: ID!) { project(id: $p) { id } }", ["p": id], token: stranger.token)
                #expect(read.codes == ["NOT_FOUND"], "\(read)")
                #expect(read.messages == ["project not found"])
                let rename = try await api.execute(
                    "mutation($p: ID!) { updateProject(input: {id: $p, name: \"mine\"}) { id } }", ["p": id], token: stranger.token)
                #expect(rename.codes == ["NOT_FOUND"], "\(rename)")
                let token = try await api.execute(
                    "mutation($p: ID!) { createApiToken(input: {projectId: $p, name: \"x\", kind: INGEST}) { token } }", ["p": id],
                    token: stranger.token)
                #expect(token.codes == ["NOT_FOUND"], "\(token)")
            }
            let intoOther = try await api.execute(
                "mutation($o: ID!) { createProject(input: {organizationId: $o, name: \"x\"}) { id } }", ["o": owner.orgID],
                token: stranger.token)
            #expect(intoOther.codes == ["NOT_FOUND"], "\(intoOther)")
            // Nothing changed for the owner.
            let projects = try await api.execute(Self.organization, ["o": owner.orgID], token: owner.token)
            #expect(projects.strings("organization.projects", "name") == ["web"])
        }
    }

    @Test func rolesDecideWhoCreatesProjectsAndManagesMembers() async throws {
        try await ResolverHarness.run { api in
            let owner = try await api.signUp("owner")
            let project = try await api.createProject(owner.orgID, token: owner.token)
            let viewer = try await api.signUp("viewer")
            let admin = try await api.signUp("admin")
            try await api.addMember(viewer, to: owner.orgID, role: "VIEWER", token: owner.token)
            try await api.addMember(admin, to: owner.orgID, role: "ADMIN", token: owner.token)
            let create = "mutation($o: ID!, $n: String!) { createProject(input: {organizationId: $o, name: $n}) { id name } }"

            // A VIEWER reads but may not create, change or delete projects, tokens or memberships.
            let viewerCreate = try await api.execute(create, ["o": owner.orgID, "n": "viewer's"], token: viewer.token)
            #expect(viewerCreate.codes == ["FORBIDDEN"], "\(viewerCreate)")
            #expect(viewerCreate.value("createProject") == nil)
            let viewerRename = try await api.execute(
                "mutation($p: ID!) { updateProject(input: {id: $p, name: \"x\"}) { id } }", ["p": project], token: viewer.token)
            #expect(viewerRename.codes == ["FORBIDDEN"], "\(viewerRename)")
            let viewerDelete = try await api.execute("mutation($p: ID!) { deleteProject(id: $p) }", ["p": project], token: viewer.token)
            #expect(viewerDelete.codes == ["FORBIDDEN"], "\(viewerDelete)")
            let viewerToken = try await api.execute(
                "mutation($p: ID!) { createApiToken(input: {projectId: $p, name: \"x\", kind: INGEST}) { token } }", ["p": project],
                token: viewer.token)
            #expect(viewerToken.codes == ["FORBIDDEN"], "\(viewerToken)")
            let newcomer = try await api.signUp("newcomer")
            let viewerAdd = try await api.execute(
                "mutation($o: ID!, $e: String!) { addMember(input: {organizationId: $o, email: $e, role: VIEWER}) { role } }",
                ["o": owner.orgID, "e": newcomer.email], token: viewer.token)
            #expect(viewerAdd.codes == ["FORBIDDEN"], "\(viewerAdd)")
            let read = try await api.execute(Self.organization, ["o": owner.orgID], token: viewer.token)
            #expect(read.strings("organization.projects", "name") == ["web"], "\(read)")

            // An ADMIN creates projects and adds members, but may not grant ADMIN or OWNER.
            let adminCreate = try await api.execute(create, ["o": owner.orgID, "n": "admin's"], token: admin.token)
            #expect(adminCreate.string("createProject.name") == "admin's", "\(adminCreate)")
            let grantOwner = try await api.execute(
                "mutation($o: ID!, $e: String!) { addMember(input: {organizationId: $o, email: $e, role: OWNER}) { role } }",
                ["o": owner.orgID, "e": newcomer.email], token: admin.token)
            #expect(grantOwner.codes == ["FORBIDDEN"], "\(grantOwner)")
            try await api.addMember(newcomer, to: owner.orgID, role: "MEMBER", token: admin.token)
            let promote = try await api.execute(
                """
                mutation($o: ID!, $u: ID!) { changeMemberRole(input: {organizationId: $o, userId: $u, role: VIEWER}) {
                  role user { id } organization { id } } }
                """, ["o": owner.orgID, "u": newcomer.userID], token: admin.token)
            #expect(promote.string("changeMemberRole.role") == "VIEWER", "\(promote)")
            #expect(promote.string("changeMemberRole.user.id") == newcomer.userID)
            #expect(promote.string("changeMemberRole.organization.id") == owner.orgID)

            // Unknown addresses and members are invited like anyone (the answer reveals neither).
            let unknownEmail = try await api.execute(
                "mutation($o: ID!) { addMember(input: {organizationId: $o, email: \"ghost@example.com\", role: VIEWER}) { role status } }",
                ["o": owner.orgID], token: owner.token)
            #expect(unknownEmail.errors.isEmpty && unknownEmail.string("addMember.status") == "PENDING", "\(unknownEmail)")
            let twice = try await api.execute(
                "mutation($o: ID!, $e: String!) { addMember(input: {organizationId: $o, email: $e, role: VIEWER}) { role status } }",
                ["o": owner.orgID, "e": viewer.email], token: owner.token)
            #expect(twice.errors.isEmpty && twice.string("addMember.status") == "PENDING", "\(twice)")

            // Members leave; the last OWNER cannot.
            let remove = "mutation($o: ID!, $u: ID!) { removeMember(organizationId: $o, userId: $u) }"
            let left = try await api.execute(remove, ["o": owner.orgID, "u": viewer.userID], token: viewer.token)
            #expect(left.bool("removeMember") == true, "\(left)")
            #expect(try await api.execute(Self.organization, ["o": owner.orgID], token: viewer.token).codes == ["NOT_FOUND"])
            let lastOwner = try await api.execute(remove, ["o": owner.orgID, "u": owner.userID], token: owner.token)
            #expect(lastOwner.codes == ["BAD_USER_INPUT"], "\(lastOwner)")
            let members = try await api.execute(Self.organization, ["o": owner.orgID], token: owner.token)
            #expect(members.list("organization.members").compactMap { $0["role"]?.stringValue }.sorted() == ["ADMIN", "OWNER", "VIEWER"])
        }
    }

    @Test func updateAndDeleteProject() async throws {
        try await ResolverHarness.run { api in
            let owner = try await api.signUp("owner")
            let project = try await api.createProject(owner.orgID, token: owner.token)
            let update = "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { name timezone retentionDays } }"

            let nothing = try await api.execute(update, ["i": ["id": project]], token: owner.token)
            #expect(nothing.codes == ["BAD_USER_INPUT"], "\(nothing)")
            let badZone = try await api.execute(
                update, ["i": ["id": project, "name": "New", "timezone": "Mars/Olympus"]], token: owner.token)
            #expect(badZone.codes == ["BAD_USER_INPUT"], "\(badZone)")
            // A refused update changes nothing, not even its valid part (one transaction, every value checked first).
            let unchanged = try await api.execute("query($p: ID!) { project(id: $p) { name } }", ["p": project], token: owner.token)
            #expect(unchanged.string("project.name") == "web", "\(unchanged)")
            let updated = try await api.execute(
                update, ["i": ["id": project, "name": "Site", "timezone": "Asia/Tokyo", "retentionDays": 90]], token: owner.token)
            #expect(updated.errors.isEmpty, "\(updated)")
            #expect(updated.string("updateProject.name") == "Site")
            #expect(updated.string("updateProject.timezone") == "Asia/Tokyo")
            #expect(updated.int("updateProject.retentionDays") == 90)
            let forever = try await api.execute(update, ["i": ["id": project, "retentionDays": NSNull()]], token: owner.token)
            #expect(forever.errors.isEmpty, "\(forever)")
            #expect(forever.value("updateProject.retentionDays") == nil)
            #expect(forever.string("updateProject.name") == "Site")

            let deleted = try await api.execute("mutation($p: ID!) { deleteProject(id: $p) }", ["p": project], token: owner.token)
            #expect(deleted.bool("deleteProject") == true, "\(deleted)")
            let gone = try await api.execute("query($p: ID!) { project(id: $p) { id } }", ["p": project], token: owner.token)
            #expect(gone.codes == ["NOT_FOUND"], "\(gone)")
        }
    }
}
