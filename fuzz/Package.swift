// swift-tools-version:6.0
// libFuzzer executables for InsightVault's leaf parsers; built only by `make fuzz` (scripts/fuzz.sh), with
// `-sanitize=fuzzer,address`, in a build folder of their own. The inputs go through the root package's
// `FuzzTargets` entry points, the ones `Tests/FuzzTargetsTests` replays the kept corpus through.
import PackageDescription

let fuzzers = ["FuzzJSON", "FuzzBodyDecoder", "FuzzGraphQL"]

let package = Package(
    name: "InsightVaultFuzz",
    dependencies: [.package(name: "InsightVault", path: "..")],
    targets: [
        .target(name: "FuzzDriver", dependencies: [.product(name: "FuzzTargets", package: "InsightVault")])
    ]
        + fuzzers.map { name in
            .executableTarget(
                name: name, dependencies: ["FuzzDriver", .product(name: "FuzzTargets", package: "InsightVault")],
                swiftSettings: [.unsafeFlags(["-parse-as-library"])])
        },
    swiftLanguageModes: [.v6]
)
