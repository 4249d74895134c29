import Foundation
import HTTPTypes
import Hummingbird

#if canImport(Glibc)
    import Glibc
#endif

/// Serves the dashboard (the built `web/dist`) at `/`: files by path, `index.html` for every other path without an
/// extension (the single-page app routes in the browser), precompressed `.gz` copies when the client accepts gzip,
/// long-lived caching for the content-hashed files under `/assets/`, and a strict Content-Security-Policy.
/// A path that could leave the directory (`..` or `.` segments, encoded or not, backslashes, NUL bytes, symlinks that
/// point outside) is refused; API paths never fall back to `index.html`.
public struct StaticFilesController<Context: RequestContext>: Sendable {
    /// The first path segments that belong to the API: an unknown path below them is a 404, not the app.
    public static var apiSegments: Set<String> {
        [
            "graphql", "v1", "capture", "batch", "e", "i", "track", "engage", "import", "decide", "flags", "healthz",
            "readyz", "metrics", "api",
        ]
    }

    /// The Content-Security-Policy of every answer: nothing inline, nothing from elsewhere, no framing.
    public static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    }

    /// `Cache-Control` of the content-hashed files under `/assets/`.
    public static var immutableCacheControl: String { "public, max-age=31536000, immutable" }

    let directory: String
    let fileIO = FileIO()

    /// - Parameter directory: the built dashboard (`IV_WEB_DIR`, default `web/dist`; relative to the working directory).
    public init(directory: String) {
        self.directory = directory
    }

    /// `GET` and `HEAD` of `/` and of every path no other route takes.
    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/", use: serve)
        routes.head("/", use: serve)
        routes.get("**", use: serve)
        routes.head("**", use: serve)
        return routes
    }

    /// What a request path names inside the directory.
    public enum Resolution: Equatable, Sendable {
        /// A file: its path relative to the directory (`/`-separated, no `.` or `..`).
        case file(String)
        /// A route of the app (no extension): answered with `index.html`.
        case app
        /// An API path or a missing file with an extension.
        case notFound
        /// A path that tries to leave the directory or cannot be decoded.
        case refused
    }

    /// Decodes the raw (percent-encoded) request path once and decides what it names.
    public static func resolve(rawPath: String) -> Resolution {
        let pathOnly = rawPath.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard let decoded = String(pathOnly).removingPercentEncoding else { return .refused }
        // Backslashes (another separator to some systems), NUL, a second level of encoding: never a real file name.
        if decoded.contains("\\") || decoded.contains("\0") || decoded.contains("%") { return .refused }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if segments.contains(where: { $0 == ".." || $0 == "." }) { return .refused }
        guard let first = segments.first else { return .file("index.html") }
        if apiSegments.contains(first.lowercased()) { return .notFound }
        let last = segments[segments.count - 1]
        if last.contains(".") { return .file(segments.joined(separator: "/")) }
        return .app
    }

    @Sendable func serve(request: Request, context: Context) async throws -> Response {
        switch Self.resolve(rawPath: request.uri.path) {
        case .refused:
            return Self.plain(.badRequest, "Bad request path.\n")
        case .notFound:
            return Self.plain(.notFound, "Not found.\n")
        case .app:
            return try await serveIndex(request: request, context: context)
        case .file(let relative):
            if relative == "index.html" { return try await serveIndex(request: request, context: context) }
            guard let file = locate(relative) else { return Self.plain(.notFound, "Not found.\n") }
            let cacheControl = relative.hasPrefix("assets/") ? Self.immutableCacheControl : "no-cache"
            return try await respond(with: file, relative: relative, cacheControl: cacheControl, request: request, context: context)
        }
    }

    private func serveIndex(request: Request, context: Context) async throws -> Response {
        guard let index = locate("index.html") else {
            return Self.plain(
                .ok,
                "InsightVault is running, but the dashboard is not built: run `make web` (or scripts/build-web.sh) in "
                    + "the repository, or point IV_WEB_DIR at a built web/dist. The API answers at /graphql.\n")
        }
        return try await respond(with: index, relative: "index.html", cacheControl: "no-cache", request: request, context: context)
    }

    /// A regular file inside the directory (after resolving symlinks), with its size and modification time.
    struct LocatedFile {
        let path: String
        let size: Int
        let modified: Int
    }

    private func locate(_ relative: String) -> LocatedFile? {
        guard let root = Self.realPath(directory), let path = Self.realPath(root + "/" + relative) else { return nil }
        guard path.hasPrefix(root + "/") else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return LocatedFile(path: path, size: Int(info.st_size), modified: Int(info.st_mtim.tv_sec))
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private func respond(
        with file: LocatedFile, relative: String, cacheControl: String, request: Request, context: Context
    ) async throws -> Response {
        var chosen = file
        var headers = Self.securityHeaders()
        headers[.contentType] = Self.contentType(of: relative)
        headers[.cacheControl] = cacheControl
        let compressible = Self.isCompressible(relative)
        if compressible {
            headers[.vary] = "Accept-Encoding"
            if Self.acceptsGzip(request.headers[.acceptEncoding]), let gzipped = locate(relative + ".gz") {
                chosen = gzipped
                headers[.contentEncoding] = "gzip"
            }
        }
        let etag = "\"\(String(chosen.size, radix: 16))-\(String(chosen.modified, radix: 16))\""
        headers[.eTag] = etag
        if let match = request.headers[.ifNoneMatch],
            match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag })
        {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(chosen.size)
        if request.method == .head { return Response(status: .ok, headers: headers) }
        let body = try await fileIO.loadFile(path: chosen.path, context: context)
        return Response(status: .ok, headers: headers, body: body)
    }

    static func securityHeaders() -> HTTPFields {
        var headers = HTTPFields()
        headers[HTTPField.Name("Content-Security-Policy")!] = contentSecurityPolicy
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return headers
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = securityHeaders()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Whether the `Accept-Encoding` value allows gzip (named, or `*`, with a non-zero quality).
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var gzip: Bool?
        var wildcard: Bool?
        for item in header.lowercased().split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let coding = parts.first else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if coding == "gzip" || coding == "x-gzip" { gzip = quality > 0 }
            if coding == "*" { wildcard = quality > 0 }
        }
        return gzip ?? wildcard ?? false
    }

    static func isCompressible(_ path: String) -> Bool {
        [".js", ".css", ".html", ".map", ".svg", ".json", ".txt"].contains { path.hasSuffix($0) }
    }

    /// The media type of a file by its extension.
    static func contentType(of path: String) -> String {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "html": return "text/html; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "map", "json": return "application/json"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "webp": return "image/webp"
        case "ico": return "image/x-icon"
        case "woff2": return "font/woff2"
        case "txt": return "text/plain; charset=utf-8"
        default: return "application/octet-stream"
        }
    }
}
