import App
import ArgumentParser
import Foundation
import Ingest
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `insightvault seed-demo`: fills a project with a deterministic demo product through the ingestion path.
struct SeedDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-demo",
        abstract: "Generate demo events (funnel, identity merges, weekly seasonality) into the project of an ingest token.")

    @OptionGroup var common: CommonOptions

    @Option(help: "INGEST token of the project to fill.")
    var token: String

    @Option(help: "Total events to write (at least --users).")
    var events: Int

    @Option(help: "Users (each gets at least one event).")
    var users: Int

    @Option(help: "Days the events span, ending at --end.")
    var days: Int

    @Option(help: "Random seed; the same seed gives the same events (default 1).")
    var seed: UInt64 = 1

    @Option(help: "End of the range, RFC 3339 (default now).")
    var end: String?

    @Option(help: "Events per batch handed to the writer (default 5000).")
    var batch: Int = 5_000

    func validate() throws {
        guard users >= 1, events >= users else { throw ValidationError("--events must be at least --users, and --users at least 1") }
        guard days >= 1 else { throw ValidationError("--days must be at least 1") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        if let end, EventTimestamp.parse(rfc3339: end) == nil { throw ValidationError("--end must be an RFC 3339 date-time") }
    }

    func run() async throws {
        let config = try common.load()
        let logger = makeLogger(config: config)
        let endDate = end.flatMap(EventTimestamp.parse(rfc3339:)) ?? Date()
        var options = DemoSeedOptions(
            token: token, generator: DemoGenerator.Options(events: events, users: users, days: days, seed: seed, end: endDate))
        options.batchSize = batch
        let bar = ProgressBar(total: events)
        let result: DemoSeedResult
        do {
            result = try await seedDemo(config: config, options: options, logger: logger) { bar.update($0) }
        } catch let error as IngestError {
            bar.finish()
            throw ValidationError(error.message)
        }
        bar.finish()
        let rate = result.seconds > 0 ? Double(result.events) / result.seconds : 0
        print(
            "seeded \(result.events) events for \(users) users over \(days) days into project \(result.project) in "
                + String(format: "%.1fs (%.0f events/s)", result.seconds, rate))
    }
}

/// Progress on stderr: a redrawn bar (at most 5 times a second) on a terminal, otherwise a line every 10%.
final class ProgressBar: Sendable {
    struct State {
        var lastDraw: ContinuousClock.Instant?
        var lastDecile = 0
        var drawn = false
    }

    let total: Int
    let isTerminal = isatty(STDERR_FILENO) == 1
    let started = ContinuousClock.now
    private let state = Mutex(State())

    init(total: Int) { self.total = total }

    func update(_ done: Int) {
        let now = ContinuousClock.now
        let line: String? = state.withLock { state in
            if isTerminal {
                if let last = state.lastDraw, now - last < .milliseconds(200), done < total { return nil }
                state.lastDraw = now
                state.drawn = true
                return "\r" + text(done, now: now)
            }
            let decile = total > 0 ? done * 10 / total : 10
            guard decile > state.lastDecile else { return nil }
            state.lastDecile = decile
            return text(done, now: now) + "\n"
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    /// Ends the bar's line on a terminal.
    func finish() {
        if isTerminal, state.withLock({ $0.drawn }) { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func text(_ done: Int, now: ContinuousClock.Instant) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int((fraction * 20).rounded(.down))
        let seconds = started.duration(to: now).inSeconds
        let rate = seconds > 0 ? Double(done) / seconds : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "] "
            + "\(Int(fraction * 100))% \(Self.grouped(done))/\(Self.grouped(total)) events \(Self.grouped(Int(rate))) ev/s"
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(character)
        }
        return out
    }
}
