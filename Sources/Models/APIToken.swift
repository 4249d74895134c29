/// An API token (INGEST or PERSONAL) stored in `api_tokens`; only its SHA-256 is kept.
public enum APIToken {
    /// Tag type for token identifiers.
    public enum Tag {}
    /// A token's identifier (`api_tokens.token_id`), not the secret itself.
    public typealias ID = TypedID<Tag>
}
