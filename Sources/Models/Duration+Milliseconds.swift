extension Duration {
    /// The duration in whole milliseconds (for messages, logs and PostgreSQL's millisecond settings).
    public var wholeMilliseconds: Int64 { components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000 }
}
