import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// The dashboard's files over a real socket: what is served, with which headers, and that no request path reaches a
/// file outside the directory.
@Suite struct StaticFilesControllerTests {
    /// A built-dashboard directory beside a secret file that must never be served.
    struct Fixture {
        let root: URL
        let dist: URL

        static let secret = "TOP SECRET outside the web directory"
        static let index = "<!doctype html><title>app</title><script type=module src=/assets/main-ABC123.js></script>"
        static let script = "console.log('main')"

        init() throws {
            let files = FileManager.default
            root = files.temporaryDirectory.appendingPathComponent("iv-static-\(UUID())")
            dist = root.appendingPathComponent("dist")
            try files.createDirectory(at: dist.appendingPathComponent("assets"), withIntermediateDirectories: true)
            try files.createDirectory(at: root.appendingPathComponent("outside"), withIntermediateDirectories: true)
            try Self.write(Self.secret, root.appendingPathComponent("outside/secret.txt"))
            try Self.write(Self.secret, root.appendingPathComponent("secret.txt"))
            try Self.write(Self.index, dist.appendingPathComponent("index.html"))
            // Stand-ins for the gzip copies: the server only picks the file, so distinct bytes show which one it sent.
            try Self.write("gzipped index", dist.appendingPathComponent("index.html.gz"))
            try Self.write(Self.script, dist.appendingPathComponent("assets/main-ABC123.js"))
            try Self.write("gzipped script", dist.appendingPathComponent("assets/main-ABC123.js.gz"))
            try Self.write("{\"version\":3}", dist.appendingPathComponent("assets/main-ABC123.js.map"))
            try Self.write("body{}", dist.appendingPathComponent("assets/app-DEF456.css"))
            try Self.write("user-agent: *", dist.appendingPathComponent("robots.txt"))
            // Symlinks that point out of the directory: a file and a folder.
            try files.createSymbolicLink(
                atPath: dist.appendingPathComponent("leak.txt").path, withDestinationPath: "../outside/secret.txt")
            try files.createSymbolicLink(
                atPath: dist.appendingPathComponent("assets/out").path, withDestinationPath: "../../outside")
        }

        static func write(_ text: String, _ url: URL) throws {
            try Data(text.utf8).write(to: url)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    /// Runs `body` against an application serving `directory` only (no database: the controller needs none).
    static func live(directory: String, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router(context: BasicRequestContext.self)
        router.get("graphql") { _, _ in "graphql" }
        router.addRoutes(StaticFilesController(directory: directory).endpoints)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body(client) }
    }

    @Test func indexAndSPARoutesAnswerIndexHTMLWithNoCacheAndTheSecurityHeaders() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try await Self.live(directory: fixture.dist.path) { client in
            for path in ["/", "/index.html", "/orgs/abc/projects", "/login", "/orgs/abc/projects/def/settings?tab=1"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(String(buffer: response.body) == Fixture.index, "\(path)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(response.headers[.cacheControl] == "no-cache")
                    #expect(response.headers[.vary] == "Accept-Encoding")
                    let csp = response.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
                    #expect(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"))
                    #expect(csp.contains("style-src 'self';") && !csp.contains("unsafe-inline"))
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                }
            }
        }
    }

    @Test func hashedAssetsAreImmutableAndTyped() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try await Self.live(directory: fixture.dist.path) { client in
            try await client.execute(uri: "/assets/main-ABC123.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == Fixture.script)
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(response.headers[.cacheControl] == "public, max-age=31536000, immutable")
                #expect(response.headers[.contentEncoding] == nil)
            }
            try await client.execute(uri: "/assets/app-DEF456.css", method: .get) { response in
                #expect(response.headers[.contentType] == "text/css; charset=utf-8")
            }
            try await client.execute(uri: "/assets/main-ABC123.js.map", method: .get) { response in
                #expect(response.headers[.contentType] == "application/json")
            }
            try await client.execute(uri: "/robots.txt", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "no-cache")
            }
            try await client.execute(uri: "/assets/main-ABC123.js", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentLength] == String(Fixture.script.utf8.count))
            }
        }
    }

    @Test func precompressedCopiesGoToClientsThatAcceptGzip() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try await Self.live(directory: fixture.dist.path) { client in
            for accept in ["gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "*"] {
                try await client.execute(uri: "/assets/main-ABC123.js", method: .get, headers: [.acceptEncoding: accept]) {
                    #expect($0.headers[.contentEncoding] == "gzip", "\(accept)")
                    #expect(String(buffer: $0.body) == "gzipped script")
                    #expect($0.headers[.vary] == "Accept-Encoding")
                }
            }
            for accept in ["br", "gzip;q=0", "identity"] {
                try await client.execute(uri: "/assets/main-ABC123.js", method: .get, headers: [.acceptEncoding: accept]) {
                    #expect($0.headers[.contentEncoding] == nil, "\(accept)")
                    #expect(String(buffer: $0.body) == Fixture.script)
                }
            }
            try await client.execute(uri: "/orgs/x", method: .get, headers: [.acceptEncoding: "gzip"]) {
                #expect($0.headers[.contentEncoding] == "gzip")
                #expect(String(buffer: $0.body) == "gzipped index")
            }
        }
    }

    @Test func anUnchangedFileAnswers304ToItsETag() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try await Self.live(directory: fixture.dist.path) { client in
            let etag = try await client.execute(uri: "/assets/main-ABC123.js", method: .get) { $0.headers[.eTag] }
            #expect(etag != nil)
            try await client.execute(uri: "/assets/main-ABC123.js", method: .get, headers: [.ifNoneMatch: etag ?? ""]) {
                #expect($0.status == .notModified)
                #expect($0.body.readableBytes == 0)
            }
        }
    }

    @Test func missingFilesAndAPIPathsAre404NotTheApp() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try await Self.live(directory: fixture.dist.path) { client in
            for path in ["/assets/missing-123.js", "/favicon.ico", "/v1/unknown", "/capture/x/y", "/healthz/x", "/graphql/x"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .notFound, "\(path)")
                    #expect(!String(buffer: response.body).contains("<!doctype"), "\(path)")
                }
            }
            try await client.execute(uri: "/graphql", method: .get) { #expect(String(buffer: $0.body) == "graphql") }
        }
    }

    @Test(arguments: [
        "/../secret.txt", "/../outside/secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt", "/..%2fsecret.txt", "/%2E%2E/outside/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
        "/%252e%252e/secret.txt", "/%252e%252e%252fsecret.txt", "/..%5csecret.txt", "/assets%5c..%5c..%5csecret.txt",
        "/%00/secret.txt", "/index.html%00.txt", "/./index.html", "/%2e/index.html", "//secret.txt",
        "/%2f..%2fsecret.txt", "/leak.txt", "/assets/out/secret.txt", "/%c0%ae%c0%ae/secret.txt",
        "/\(FileManager.default.temporaryDirectory.path)/secret.txt", "/etc/passwd", "/%2fetc%2fpasswd",
    ])
    func noPathLeavesTheDirectory(path: String) async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try await Self.live(directory: fixture.dist.path) { client in
            try await client.execute(uri: path, method: .get) { response in
                let body = String(buffer: response.body)
                #expect(!body.contains(Fixture.secret), "\(path) served the secret: \(response.status)")
                #expect(!body.contains("root:"), "\(path) served /etc/passwd")
                // Either refused, not found, or (a route of the app) the app itself: never another file.
                #expect([.badRequest, .notFound, .ok].contains(response.status), "\(path): \(response.status)")
                if response.status == .ok { #expect(body == Fixture.index, "\(path)") }
                let lowered = path.lowercased()
                if ["..", "/./", "%2e", "%5c", "%00", "%25"].contains(where: lowered.contains) {
                    #expect(response.status == .badRequest, "\(path): \(response.status)")
                }
                if path == "/leak.txt" || path.hasPrefix("/assets/out/") { #expect(response.status == .notFound) }
            }
        }
    }

    @Test func encodedDotSegmentsAreRefusedBeforeAnyFileIsOpened() {
        typealias Controller = StaticFilesController<BasicRequestContext>
        for path in ["/%2e%2e/x.txt", "/..%2fx", "/%252e%252e/x", "/a%5cb.txt", "/a%00.js", "/./a.js", "/a/../b.js"] {
            #expect(Controller.resolve(rawPath: path) == .refused, "\(path)")
        }
        #expect(Controller.resolve(rawPath: "/") == .file("index.html"))
        #expect(Controller.resolve(rawPath: "/assets/a-1.js?x=1") == .file("assets/a-1.js"))
        #expect(Controller.resolve(rawPath: "/orgs/1/projects") == .app)
        #expect(Controller.resolve(rawPath: "/v1/anything") == .notFound)
        #expect(Controller.resolve(rawPath: "/GraphQL/x") == .notFound)
    }

    @Test func withoutABuiltDashboardTheRootSaysHowToBuildIt() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("iv-no-web-\(UUID())").path
        try await Self.live(directory: missing) { client in
            for path in ["/", "/orgs/x/projects"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
                    #expect(String(buffer: response.body).contains("make web"))
                }
            }
            try await client.execute(uri: "/assets/main.js", method: .get) { #expect($0.status == .notFound) }
        }
    }
}

/// The dashboard inside the real application: it answers `/` and app routes, and takes no API route.
@Suite struct StaticFilesRoutingTests {
    @Test func theAppServesTheDashboardBesideTheAPI() async throws {
        let fixture = try StaticFilesControllerTests.Fixture()
        defer { fixture.remove() }
        let database = try await TestDatabase.create()
        let config = try GraphQLTestApp.config(database, extra: ["IV_WEB_DIR": fixture.dist.path])
        let app = try await buildApplication(config: config, logger: database.logger)
        try await app.test(.live) { client in
            try await client.execute(uri: "/", method: .get) {
                #expect($0.status == .ok)
                #expect(String(buffer: $0.body) == StaticFilesControllerTests.Fixture.index)
            }
            try await client.execute(uri: "/orgs/1/projects", method: .get) {
                #expect(String(buffer: $0.body) == StaticFilesControllerTests.Fixture.index)
            }
            try await client.execute(uri: "/healthz", method: .get) {
                #expect($0.status == .ok)
                #expect(String(buffer: $0.body).contains("\"ok\""))
            }
            try await client.execute(uri: "/v1/not-an-endpoint", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(
                uri: "/graphql", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"query":"{ __typename }"}"#)
            ) {
                #expect($0.status != .notFound)
                #expect($0.headers[.contentType]?.contains("json") == true)
            }
        }
    }
}
