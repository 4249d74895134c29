import FuzzTargets

/// libFuzzer's own driver (in the fuzzer runtime `-sanitize=fuzzer` links): parses the command line, then calls
/// `testOneInput` for each input it generates or reads.
@_silgen_name("LLVMFuzzerRunDriver")
func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Runs libFuzzer with the program's arguments. SwiftPM renames an executable's `main` to `<Module>_main`, which
/// clashes with the `main` of libFuzzer's runtime, so each fuzz executable defines that symbol and calls this.
public func runLibFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt {
    var count = argc
    var arguments = argv
    return llvmFuzzerRunDriver(&count, &arguments, testOneInput)
}

/// Runs one input through `target`; a broken invariant (`Outcome.problem`) or work beyond the bound traps, so
/// libFuzzer saves the input as a crash.
public func fuzzOne(_ target: FuzzTarget, _ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let outcome = target.run(bytes)
    if let problem = outcome.problem { fatalError(problem) }
    precondition(outcome.work <= target.workBound(forInputOf: size), "work \(outcome.work) for \(size) bytes")
    return 0
}
