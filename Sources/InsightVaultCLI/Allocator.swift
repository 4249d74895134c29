/// glibc's `mallopt` (malloc.h, which Swift's Glibc module does not include).
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32

/// Tunes glibc's allocator for a long-running server whose reports build large arrays for a moment: allocations of
/// 256 KiB and more get their own mappings, returned to the system as soon as they are freed (glibc otherwise raises
/// that threshold after the first such free and keeps later ones in its heap), free memory at the top of the heap is
/// given back beyond 1 MiB, and at most two arenas exist. So the server's memory returns to its base between reports
/// instead of growing with the largest report seen (docs/operations.md).
func tuneAllocator() {
    #if os(Linux)
        // The parameter numbers of malloc.h: M_TRIM_THRESHOLD -1, M_MMAP_THRESHOLD -3, M_ARENA_MAX -8.
        _ = mallopt(-3, 256 * 1024)
        _ = mallopt(-1, 1024 * 1024)
        _ = mallopt(-8, 2)
    #endif
}
