extension Duration {
    /// The duration in seconds, with its fraction (for rates, gauges and reports of elapsed time).
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
