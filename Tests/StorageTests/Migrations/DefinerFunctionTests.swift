import Foundation
import TestSupport
import Testing

/// The SECURITY DEFINER functions run as the owner with a fixed search_path and only the app role may call them.
@Suite struct DefinerFunctionTests {
    @Test func definerFunctionsAreLockedDown() async throws {
        let database = try await TestDatabase.create()
        for function in [
            "iv_user_memberships(uuid)", "iv_lookup_personal_token(bytea)", "iv_lookup_ingest_token(bytea)",
            "iv_object_org(text, uuid)",
        ] {
            let rows = try await database.asOwner(
                """
                SELECT p.prosecdef, array_to_string(p.proconfig, ','),
                       has_function_privilege('insightvault_app', p.oid, 'EXECUTE'),
                       coalesce(array_to_string(p.proacl, ','), '')
                FROM pg_proc p WHERE p.oid = \(function)::regprocedure
                """)
            let (definer, config, appMayCall, acl) = try rows[0].decode((Bool, String, Bool, String).self)
            #expect(definer, "\(function)")
            #expect(config.contains("search_path=public, pg_temp"), "\(function): \(config)")
            #expect(appMayCall)
            #expect(!acl.split(separator: ",").contains { $0.hasPrefix("=") }, "PUBLIC may execute \(function): \(acl)")
        }
    }
}
