import Accounts
import Foundation
import Models
import NIOCore
import Tenancy
import TestSupport
import Testing

@Suite struct InvitationServiceTests {
    /// The attack: sign up with the address an organization is about to add. Registering first gives nothing; only
    /// the invitation's token (which the organization sends to the address) makes a member.
    @Test func registeringTheInvitedAddressFirstGrantsNothing() async throws {
        try await AuthHarness.run { h in
            let (admin, victimOrg) = try await h.signUp("admin@victim.com", organization: "Victim")
            let project = try await h.projects.create(admin, org: victimOrg, name: "Secrets")
            let (attacker, attackerOrg) = try await h.signUp("newhire@victim.com", organization: "Mine")
            let invitation = try await h.members.addMember(admin, org: victimOrg, email: "newhire@victim.com", role: .member)

            #expect(try await h.members.list(admin, org: victimOrg).map(\.user.id) == [admin.userID])
            #expect(try await h.accounts.me(attacker).memberships.map(\.organization.id) == [attackerOrg])
            #expect(await authErrorCode { _ = try await h.projects.get(attacker, project: project.id) } == .notFound)
            #expect(await authErrorCode { _ = try await h.projects.list(attacker, org: victimOrg) } == .notFound)

            // The real new hire (holding the mailed link) accepts: now a member with the invited role.
            let token = try #require(h.mailbox.token(to: "newhire@victim.com", path: "invite"))
            #expect(token == invitation.token)
            let accepted = try await h.members.invitations.accept(attacker, token: token)
            #expect(accepted.member.role == .member)
            #expect(accepted.organization.id == victimOrg)
            #expect(try await h.members.list(admin, org: victimOrg).map(\.user.id) == [admin.userID, attacker.userID])
            _ = try await h.projects.get(attacker, project: project.id)
        }
    }

    /// Registered, unregistered and already-member addresses get the same kind of answer, so `addMember` does not
    /// tell who has an account.
    @Test func theAnswerDoesNotRevealWhetherTheAddressHasAnAccount() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            _ = try await h.signUp("registered@example.com", organization: "Other")
            _ = try await h.member("member@example.com", role: .viewer, in: org, by: owner)
            var answers: [InvitationInfo] = []
            for email in ["registered@example.com", "nobody@example.com", "member@example.com"] {
                answers.append(try await h.members.addMember(owner, org: org, email: email, role: .member))
            }
            for answer in answers {
                #expect(answer.status == .pending)
                #expect(answer.role == .member)
                #expect(answer.invitedBy?.id == owner.userID)
                #expect(answer.expiresAt == h.clock.now.addingTimeInterval(7 * 86_400))
                #expect(answer.link == "\(AuthHarness.publicURL)/invite/\(answer.token ?? "")")
                #expect(OneTimeToken.isWellFormed(answer.token ?? ""))
            }
            // Each address got its mail, registered or not.
            for email in ["registered@example.com", "nobody@example.com", "member@example.com"] {
                #expect(h.mailbox.token(to: email, path: "invite") != nil, "\(email)")
            }
        }
    }

    @Test func onlyTheInvitedAddressCanAcceptAndOnlyWithASession() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let (stranger, strangerOrg) = try await h.signUp("stranger@example.com", organization: "S")
            let (invitee, _) = try await h.signUp("Invitee@Example.com", organization: "I")
            let invitation = try await h.members.addMember(owner, org: org, email: "invitee@example.com", role: .viewer)
            let token = try #require(invitation.token)
            do {
                _ = try await h.members.invitations.accept(stranger, token: token)
                Issue.record("a stranger accepted someone else's invitation")
            } catch let error as ServiceError {
                #expect(error.code == .forbidden)
                #expect(error.message.contains("another email address"))
            }
            // A personal token cannot accept (sessions only).
            let pat = try await h.tokens.createPersonalToken(stranger, org: strangerOrg, name: "pat", scopes: [.read, .write])
            let viaToken = try await h.authenticator.authenticate(token: pat.token)
            #expect(await authErrorCode { _ = try await h.members.invitations.accept(viaToken, token: token) } == .forbidden)
            // Unknown or malformed tokens are NOT_FOUND.
            #expect(
                await authErrorCode { _ = try await h.members.invitations.accept(invitee, token: OneTimeToken.generate()) } == .notFound)
            #expect(await authErrorCode { _ = try await h.members.invitations.accept(invitee, token: "short") } == .notFound)
            // The invitee (registered in another letter case) accepts once; the second time it is used up.
            _ = try await h.members.invitations.accept(invitee, token: token)
            #expect(await authErrorCode { _ = try await h.members.invitations.accept(invitee, token: token) } == .badUserInput)
            #expect(try await h.members.invitations.list(owner, org: org).map(\.status) == [.accepted])
        }
    }

    @Test func invitationsExpire() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let (late, _) = try await h.signUp("late@example.com", organization: "L")
            let invitation = try await h.members.addMember(owner, org: org, email: "late@example.com", role: .member)
            h.clock.advance(7 * 86_400 - 1)
            #expect(try await h.members.invitations.list(owner, org: org).map(\.status) == [.pending])
            h.clock.advance(1)
            #expect(try await h.members.invitations.list(owner, org: org).map(\.status) == [.expired])
            do {
                _ = try await h.members.invitations.accept(late, token: invitation.token ?? "")
                Issue.record("an expired invitation was accepted")
            } catch let error as ServiceError {
                #expect(error.code == .badUserInput)
                #expect(error.message.contains("expired"))
            }
            #expect(try await h.members.list(owner, org: org).count == 1)
            // Inviting again gives a fresh link that works.
            let again = try await h.members.addMember(owner, org: org, email: "late@example.com", role: .member)
            _ = try await h.members.invitations.accept(late, token: again.token ?? "")
        }
    }

    @Test func reinvitingReplacesTheOldLink() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let (invitee, _) = try await h.signUp("invitee@example.com", organization: "I")
            let first = try await h.members.addMember(owner, org: org, email: "invitee@example.com", role: .viewer)
            let second = try await h.members.addMember(owner, org: org, email: "INVITEE@example.com", role: .member)
            #expect(first.token != second.token)
            #expect(try await h.members.invitations.list(owner, org: org).map(\.id) == [second.id])
            #expect(await authErrorCode { _ = try await h.members.invitations.accept(invitee, token: first.token ?? "") } == .notFound)
            let accepted = try await h.members.invitations.accept(invitee, token: second.token ?? "")
            #expect(accepted.member.role == .member)
        }
    }

    @Test func revokingFollowsTheMemberRules() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let admin = try await h.member("admin@example.com", role: .admin, in: org, by: owner)
            let member = try await h.member("member@example.com", role: .member, in: org, by: owner)
            let (invitee, _) = try await h.signUp("boss@example.com", organization: "B")
            // An ADMIN can neither invite an OWNER nor replace or revoke an OWNER invitation.
            #expect(
                await authErrorCode { _ = try await h.members.addMember(admin, org: org, email: "x@example.com", role: .owner) }
                    == .forbidden)
            let ownerInvitation = try await h.members.addMember(owner, org: org, email: "boss@example.com", role: .owner)
            #expect(
                await authErrorCode { _ = try await h.members.addMember(admin, org: org, email: "boss@example.com", role: .viewer) }
                    == .forbidden)
            #expect(await authErrorCode { _ = try await h.members.invitations.revoke(admin, invitation: ownerInvitation.id) } == .forbidden)
            // MEMBERs and VIEWERs neither list, invite nor revoke.
            #expect(await authErrorCode { _ = try await h.members.invitations.list(member, org: org) } == .forbidden)
            #expect(
                await authErrorCode { _ = try await h.members.invitations.revoke(member, invitation: ownerInvitation.id) } == .forbidden)
            #expect(
                await authErrorCode { _ = try await h.members.addMember(member, org: org, email: "y@example.com", role: .viewer) }
                    == .forbidden)
            // An ADMIN revokes a VIEWER invitation; the OWNER revokes the OWNER one; the links stop working.
            let viewerInvitation = try await h.members.addMember(admin, org: org, email: "viewer@example.com", role: .viewer)
            #expect(try await h.members.invitations.revoke(admin, invitation: viewerInvitation.id).status == .revoked)
            #expect(try await h.members.invitations.revoke(owner, invitation: ownerInvitation.id).status == .revoked)
            #expect(try await h.members.invitations.revoke(owner, invitation: ownerInvitation.id).status == .revoked)
            do {
                _ = try await h.members.invitations.accept(invitee, token: ownerInvitation.token ?? "")
                Issue.record("a revoked invitation was accepted")
            } catch let error as ServiceError {
                #expect(error.code == .badUserInput)
                #expect(error.message.contains("revoked"))
            }
            #expect(try await h.members.list(owner, org: org).map(\.role).contains(.owner))
            #expect(try await h.members.list(owner, org: org).count == 3)
            // An accepted invitation cannot be revoked (remove the member instead).
            let accepted = try await h.members.invitations.list(owner, org: org).first { $0.status == .accepted }
            #expect(
                await authErrorCode { _ = try await h.members.invitations.revoke(owner, invitation: try #require(accepted).id) }
                    == .badUserInput)
        }
    }

    @Test func pendingInvitationsAreCappedPerOrganization() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            var settings = AccountEmailSettings(publicURL: AuthHarness.publicURL)
            settings.maxPendingInvitations = 2
            let service = InvitationService(database: h.database, settings: settings, now: h.clock.function)
            _ = try await service.invite(owner, org: org, email: "a@example.com", role: .viewer)
            let second = try await service.invite(owner, org: org, email: "b@example.com", role: .viewer)
            #expect(
                await authErrorCode { _ = try await service.invite(owner, org: org, email: "c@example.com", role: .viewer) }
                    == .badUserInput)
            // Re-inviting a pending address replaces it and stays within the cap; revoking frees a place.
            _ = try await service.invite(owner, org: org, email: "a@example.com", role: .member)
            _ = try await service.revoke(owner, invitation: second.id)
            _ = try await service.invite(owner, org: org, email: "c@example.com", role: .viewer)
            // Expired invitations do not count.
            h.clock.advance(8 * 86_400)
            _ = try await service.invite(owner, org: org, email: "d@example.com", role: .viewer)
            _ = try await service.invite(owner, org: org, email: "e@example.com", role: .viewer)
        }
    }

    /// Only the token's SHA-256 is stored; the plain token appears nowhere in the database.
    @Test func tokensAreStoredHashed() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let invitation = try await h.members.addMember(owner, org: org, email: "new@example.com", role: .viewer)
            let token = try #require(invitation.token)
            let rows = try await h.testDatabase.asOwner("SELECT token_hash FROM invitations")
            #expect(try rows.map { try $0.decode(ByteBuffer.self) } == [OneTimeToken.hash(token)])
            let plain = try await h.testDatabase.asOwner(
                "SELECT count(*) FROM invitations i WHERE strpos(i::text, \(token)) > 0 OR strpos(encode(token_hash, 'escape'), \(token)) > 0"
            )
            #expect(try plain.first?.decode(Int.self) == 0)
        }
    }
}
