import Accounts
import Tenancy
import Foundation
import Models
import TestSupport
import Testing

@Suite struct ProjectServiceTests {
    @Test func createReadUpdateAndDeleteWithEvents() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let created = try await h.projects.create(owner, org: org, name: " Web ", timezone: "Europe/Paris", retentionDays: 30)
            #expect(created.name == "Web")
            #expect(created.timezone == "Europe/Paris")
            #expect(created.retentionDays == 30)
            #expect(created.organizationID == org)
            #expect(try await h.projects.get(owner, project: created.id) == created)
            let defaulted = try await h.projects.create(owner, org: org, name: "App")
            #expect(defaulted.timezone == "UTC")
            #expect(defaulted.retentionDays == nil)
            #expect(try await h.projects.rename(owner, project: created.id, name: "Website").name == "Website")
            #expect(
                try await h.projects.setTimezone(owner, project: created.id, timezone: "America/New_York").timezone
                    == "America/New_York")
            #expect(try await h.projects.setRetention(owner, project: created.id, days: nil).retentionDays == nil)
            #expect(try await h.projects.list(owner, org: org).map(\.name) == ["App", "Website"])

            try await h.testDatabase.seedEvent(org: org, project: created.id, at: Date())
            _ = try await h.tokens.createIngestToken(owner, project: created.id, name: "sdk")
            try await h.projects.delete(owner, project: created.id)
            #expect(try await h.testDatabase.asOwner("SELECT 1 FROM events").isEmpty)
            #expect(try await h.testDatabase.asOwner("SELECT 1 FROM api_tokens").isEmpty)
            #expect(await authErrorCode { _ = try await h.projects.get(owner, project: created.id) } == .notFound)
            #expect(await authErrorCode { try await h.projects.delete(owner, project: created.id) } == .notFound)
        }
    }

    @Test func refusesInvalidTimezoneRetentionAndName() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let project = try await h.projects.create(owner, org: org, name: "Web")
            for zone in ["Mars/Olympus_Mons", "", "Not a zone"] {
                #expect(
                    await authErrorCode { _ = try await h.projects.create(owner, org: org, name: "X", timezone: zone) }
                        == .badUserInput, "\(zone)")
                #expect(
                    await authErrorCode { _ = try await h.projects.setTimezone(owner, project: project.id, timezone: zone) }
                        == .badUserInput)
            }
            for days in [0, -1, 36_501] {
                #expect(
                    await authErrorCode { _ = try await h.projects.setRetention(owner, project: project.id, days: days) }
                        == .badUserInput)
            }
            #expect(await authErrorCode { _ = try await h.projects.create(owner, org: org, name: "  ") } == .badUserInput)
            let long = String(repeating: "n", count: 201)
            #expect(await authErrorCode { _ = try await h.projects.rename(owner, project: project.id, name: long) } == .badUserInput)
            #expect(try await h.projects.get(owner, project: project.id) == project)
        }
    }
}
