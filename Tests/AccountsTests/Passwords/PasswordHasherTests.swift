import Accounts
import Tenancy
import Testing

@Suite struct PasswordHasherTests {
    // Small parameters keep the suite fast; the OWASP defaults are checked separately.
    let hasher = PasswordHasher(parameters: .init(memoryKiB: 1_024, iterations: 1, parallelism: 1))

    @Test func hashesToPHCStringAndVerifies() throws {
        let encoded = try hasher.hash("correct horse battery")
        #expect(encoded.hasPrefix("$argon2id$v=19$m=1024,t=1,p=1$"))
        #expect(hasher.verify("correct horse battery", against: encoded))
        #expect(!hasher.verify("correct horse battery!", against: encoded))
        #expect(!hasher.verify("correct horse battery", against: "$argon2id$garbage"))
    }

    @Test func saltsDiffer() throws {
        #expect(try hasher.hash("same password here") != hasher.hash("same password here"))
    }

    @Test func refusesShortAndHugePasswords() {
        #expect(throws: PasswordHasher.Failure.self) { try hasher.hash("short") }
        #expect(throws: PasswordHasher.Failure.self) { try hasher.hash(String(repeating: "x", count: 1_025)) }
    }

    @Test func defaultParametersAreOWASPAndOldHashesNeedRehash() throws {
        let owasp = PasswordHasher()
        #expect(owasp.parameters == .owasp)
        let weak = try hasher.hash("a long enough password")
        #expect(owasp.needsRehash(weak))
        #expect(!hasher.needsRehash(weak))
    }
}
