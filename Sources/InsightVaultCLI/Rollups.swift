import App
import ArgumentParser
import Foundation

/// `insightvault rollups refresh`: build the report rollups now (`serve` also does it every
/// IV_ROLLUP_INTERVAL_SECONDS).
struct Rollups: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollups", abstract: "Report rollups (pre-aggregated closed days).", subcommands: [Refresh.self])

    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Roll up every closed day not rolled up yet, and rebuild dirty days (pass after pass until done).")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let config = try common.load()
            let started = Date()
            let (days, passes, failed) = try await refreshRollups(config: config, logger: makeLogger(config: config))
            print("rolled up \(days) days in \(passes) passes in \(String(format: "%.1f", Date().timeIntervalSince(started)))s")
            if !failed.isEmpty {
                print("rollups failed for \(failed.count) projects (see the log): \(failed.joined(separator: ", "))")
                throw ExitCode.failure
            }
        }
    }
}
