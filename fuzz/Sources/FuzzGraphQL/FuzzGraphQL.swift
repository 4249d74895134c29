import FuzzDriver
import FuzzTargets

/// libFuzzer calls this for each input.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzzOne(.graphql, data, size) }

/// The program's entry point (see `runLibFuzzer`).
@_cdecl("FuzzGraphQL_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, testOneInput)
}
