import Testing

@testable import Storage

/// `IV_PG_SHARED_BUFFERS_MB` reaches the cluster at every start; unset, the cluster keeps its own setting.
@Suite struct SharedBuffersTests {
    @Test func aSetSizeIsGivenAtStart() {
        let configuration = EmbeddedPostgres.Configuration(directory: "/nonexistent", sharedBuffersMB: 1_024)
        #expect(EmbeddedPostgres.startOptions(port: 5_433, configuration: configuration) == "-p 5433 -c shared_buffers=1024MB")
    }

    @Test func unsetTheClustersOwnSettingStays() {
        let configuration = EmbeddedPostgres.Configuration(directory: "/nonexistent")
        #expect(EmbeddedPostgres.startOptions(port: 5_433, configuration: configuration) == "-p 5433")
    }
}
