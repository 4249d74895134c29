/// The release version printed by `insightvault version`.
public let insightVaultVersion = "0.1.0"
