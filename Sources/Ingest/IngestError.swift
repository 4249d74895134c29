import Models

/// Why an ingestion request or one of its events was refused. `code` is stable; the HTTP layer maps it to a status.
public struct IngestError: CodedError, Equatable, CustomStringConvertible {
    /// Stable codes. Request-level ones end a request; event-level ones describe one event (`details`).
    public enum Code: String, Sendable, CaseIterable {
        /// No, unknown, revoked or expired token (401).
        case invalidToken = "INVALID_TOKEN"
        /// The body is not valid JSON, form data, base64 or gzip (400).
        case invalidBody = "INVALID_BODY"
        /// The body is larger than the limit after decompression (413).
        case bodyTooLarge = "BODY_TOO_LARGE"
        /// More events than the batch limit (413).
        case batchTooLarge = "BATCH_TOO_LARGE"
        /// Content type other than JSON, form data or text (415).
        case unsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
        /// One or more events are invalid; see `details` (400).
        case invalidEvents = "INVALID_EVENTS"
        /// The write queue is full; retry after a moment (503 with Retry-After).
        case overloaded = "OVERLOADED"
        /// The server is shutting down; retry against another instance (503).
        case shuttingDown = "SHUTTING_DOWN"
        /// The database refused the batch; nothing of this request was stored (503).
        case storageFailed = "STORAGE_FAILED"
        /// The database gave no connection within `IV_INGEST_DATABASE_WAIT_MS` (it is down or restarting); nothing of
        /// this request was stored (503 with Retry-After).
        case databaseUnavailable = "DATABASE_UNAVAILABLE"
        /// Event name missing, not a string, or not 1-200 characters.
        case invalidEventName = "INVALID_EVENT_NAME"
        /// Distinct id missing or not 1-200 characters.
        case invalidDistinctID = "INVALID_DISTINCT_ID"
        /// Timestamp neither RFC 3339 nor epoch seconds/milliseconds.
        case invalidTimestamp = "INVALID_TIMESTAMP"
        /// Timestamp before 2000-01-01 or more than 24 h in the future.
        case timestampOutOfRange = "TIMESTAMP_OUT_OF_RANGE"
        /// Properties not a JSON object.
        case invalidProperties = "INVALID_PROPERTIES"
        /// Properties larger than 64 KB as JSON.
        case propertiesTooLarge = "PROPERTIES_TOO_LARGE"
        /// `$set`/`$set_once`, `/engage` updates or Segment traits larger than 64 KB as JSON.
        case personPropertiesTooLarge = "PERSON_PROPERTIES_TOO_LARGE"
        /// Properties nested deeper than 10 levels.
        case propertiesTooDeep = "PROPERTIES_TOO_DEEP"
        /// `uuid` given but not a UUID.
        case invalidUUID = "INVALID_UUID"
        /// A batch element is not a JSON object.
        case notAnObject = "NOT_AN_OBJECT"
    }

    /// One refused event of a batch.
    public typealias Detail = ErrorDetail

    /// What went wrong.
    public var code: Code
    /// Explanation for humans.
    public var message: String
    /// Per-event problems, for `INVALID_EVENTS`.
    public var details: [Detail]

    /// Creates an error.
    public init(_ code: Code, _ message: String, details: [Detail] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    /// `DATABASE_UNAVAILABLE` after waiting `wait` for a database connection.
    static func databaseUnavailable(_ wait: Duration) -> IngestError {
        IngestError(.databaseUnavailable, "the database gave no connection within \(wait.wholeMilliseconds) ms; nothing was stored, retry")
    }

    /// `CODE: message`, for logs.
    public var description: String { "\(code.rawValue): \(message)" }
    /// The code's text.
    public var codeText: String { code.rawValue }
}
