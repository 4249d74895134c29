import App
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The HTTP server's read and idle timeouts, over real sockets against a live server with short timeouts. The tests
/// wait (bounded) for the server to close a connection; they never assert how long something took.
@Suite struct HTTPServerTimeoutsTests {
    /// Runs `body` against a live server with these timeouts (seconds; 0 is off).
    static func withServer(
        readTimeout: Int, idleTimeout: Int, _ body: @escaping @Sendable (_ port: Int, _ client: any TestClientProtocol) async throws -> Void
    ) async throws {
        let database = try await TestDatabase.create()
        let config = try GraphQLTestApp.config(
            database,
            extra: ["IV_HTTP_READ_TIMEOUT_SECONDS": "\(readTimeout)", "IV_HTTP_IDLE_TIMEOUT_SECONDS": "\(idleTimeout)"])
        let app = try await buildApplication(config: config, logger: database.logger)
        try await app.test(.live) { client in try await body(try #require(client.port), client) }
    }

    @Test func aClientStoppingHalfwayThroughItsHeadersGets408AndIsClosedWhileOthersAreServed() async throws {
        try await Self.withServer(readTimeout: 1, idleTimeout: 3_600) { port, client in
            let slow = try ProbeSocket(port: port)
            defer { slow.close() }
            // A first request arriving in pieces within the timeout is served, and the connection stays open between
            // requests longer than the read timeout: its clock runs only while a request arrives.
            try slow.send("GET /healthz HTTP/1.1\r\n")
            try slow.send("Host: 127.0.0.1\r\n\r\n")
            #expect(try slow.readResponse().hasPrefix("HTTP/1.1 200"))
            try await Task.sleep(for: .milliseconds(2_500))
            #expect(!slow.isClosed(waitingMilliseconds: 0))

            // The next request stops halfway through its headers.
            try slow.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow")
            // A normal client is served meanwhile.
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            let outcome = try slow.waitForClose()
            #expect(outcome.closed)
            #expect(outcome.received.hasPrefix("HTTP/1.1 408"), "\(outcome.received)")
        }
    }

    @Test func aBodyTrickledInIsCutOff() async throws {
        try await Self.withServer(readTimeout: 1, idleTimeout: 3_600) { port, client in
            let slow = try ProbeSocket(port: port)
            defer { slow.close() }
            try slow.send(
                "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
            // One byte at a time keeps the connection busy (an idle timeout never fires) but never completes it.
            var closed = false
            for _ in 0..<200 where !closed {
                closed = !slow.trySend(" ") || slow.isClosed(waitingMilliseconds: 100)
            }
            #expect(closed)
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosed() async throws {
        try await Self.withServer(readTimeout: 30, idleTimeout: 1) { port, _ in
            let idle = try ProbeSocket(port: port)
            defer { idle.close() }
            try idle.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let outcome = try idle.waitForClose()
            #expect(outcome.closed)
            #expect(outcome.received.hasPrefix("HTTP/1.1 200"), "\(outcome.received)")
            // The connection was kept alive for more requests: the server, not the response, closed it.
            #expect(!outcome.received.lowercased().contains("connection: close"), "\(outcome.received)")
        }
    }

    @Test func settingsAreParsedWithTheirRanges() throws {
        let defaults = try AppConfig(values: [:])
        #expect(defaults.httpReadTimeoutSeconds == 30 && defaults.httpIdleTimeoutSeconds == 60)
        let set = try AppConfig(values: ["IV_HTTP_READ_TIMEOUT_SECONDS": "0", "IV_HTTP_IDLE_TIMEOUT_SECONDS": "5"])
        #expect(set.httpReadTimeoutSeconds == 0 && set.httpIdleTimeoutSeconds == 5)
        for (key, value) in [
            ("IV_HTTP_READ_TIMEOUT_SECONDS", "-1"), ("IV_HTTP_IDLE_TIMEOUT_SECONDS", "86401"), ("IV_HTTP_READ_TIMEOUT_SECONDS", "soon"),
            ("IV_GRAPHQL_INTROSPECTION", "maybe"),
        ] {
            #expect(throws: ConfigError.self, "\(key)=\(value)") { try AppConfig(values: [key: value]) }
        }
        #expect(try AppConfig(values: ["IV_GRAPHQL_INTROSPECTION": "public"]).graphQL.introspection == .public)
        #expect(try AppConfig(values: ["IV_GRAPHQL_INTROSPECTION": "AUTHENTICATED"]).graphQL.introspection == .authenticated)
    }
}

/// A client socket that notices when the server closes the connection.
final class ProbeSocket: Sendable {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard descriptor >= 0, connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    func send(_ text: String) throws {
        guard trySend(text) else { throw POSIXError(.EPIPE) }
    }

    /// Sends `text`; false when the connection is gone.
    func trySend(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count
    }

    /// Reads (without consuming what is complete) until the server closes: at most `limit` seconds.
    func waitForClose(limit: Int = 20) throws -> (received: String, closed: Bool) {
        var received: [UInt8] = []
        for _ in 0..<(limit * 10) {
            switch read(waitingMilliseconds: 100) {
            case .data(let bytes): received += bytes
            case .closed: return (String(decoding: received, as: UTF8.self), true)
            case .nothing: continue
            }
        }
        return (String(decoding: received, as: UTF8.self), false)
    }

    /// One complete response without a body or with a short one (reads until a pause after the headers).
    func readResponse(limit: Int = 20) throws -> String {
        var received: [UInt8] = []
        for _ in 0..<(limit * 10) {
            switch read(waitingMilliseconds: 100) {
            case .data(let bytes): received += bytes
            case .closed: throw POSIXError(.ECONNRESET)
            case .nothing:
                let text = String(decoding: received, as: UTF8.self)
                if text.contains("\r\n\r\n") { return text }
            }
        }
        throw POSIXError(.ETIMEDOUT)
    }

    /// Whether the server has closed the connection (reading what it sent meanwhile).
    func isClosed(waitingMilliseconds: Int32) -> Bool {
        if case .closed = read(waitingMilliseconds: waitingMilliseconds) { return true }
        return false
    }

    enum ReadOutcome {
        case data([UInt8])
        case closed
        case nothing
    }

    private func read(waitingMilliseconds: Int32) -> ReadOutcome {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, waitingMilliseconds) > 0 else { return .nothing }
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        if count > 0 { return .data(Array(buffer[0..<count])) }
        return .closed  // 0: orderly close; < 0: reset
    }

    func close() { _ = Glibc.close(descriptor) }
}
