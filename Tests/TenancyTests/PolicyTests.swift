import Accounts
import Tenancy
import Models
import Testing

@Suite struct PolicyTests {
    /// The role policy (docs/api.md), spelled out: which roles may perform each operation.
    static let expected: [Permission: Set<Role>] = [
        .read: [.viewer, .member, .admin, .owner],
        .createPersonalToken: [.viewer, .member, .admin, .owner],
        .leaveOrganization: [.viewer, .member, .admin, .owner],
        .saveReports: [.member, .admin, .owner],
        .saveDashboards: [.member, .admin, .owner],
        .manageProjects: [.admin, .owner],
        .manageTokens: [.admin, .owner],
        .manageMembers: [.admin, .owner],
        .manageAdmins: [.owner],
        .manageOwners: [.owner],
        .manageOrganization: [.owner],
    ]

    @Test(arguments: Role.allCases)
    func eachRoleEachOperation(role: Role) {
        #expect(Set(Self.expected.keys) == Set(Permission.allCases))
        for operation in Permission.allCases {
            let allowed = Self.expected[operation]!.contains(role)
            #expect(Policy.allows(role, operation) == allowed, "\(role) \(operation)")
        }
    }

    @Test func adminsManageOnlyRolesBelowAdmin() {
        let manageable: [Role: Set<Role>] = [
            .owner: [.owner, .admin, .member, .viewer], .admin: [.member, .viewer], .member: [], .viewer: [],
        ]
        for actor in Role.allCases {
            for target in Role.allCases {
                #expect(Policy.canManage(actor: actor, target: target) == manageable[actor]!.contains(target), "\(actor) \(target)")
            }
        }
    }

    @Test func tokenScopes() {
        #expect(Policy.requiredScope(for: .read) == .read)
        for operation in Permission.allCases where operation != .read {
            #expect(Policy.requiredScope(for: operation) == .write)
        }
    }
}
