// Data-parallel loops over a process-wide worker pool.
//
// ParallelFor splits [begin, end) into contiguous chunks, one per worker, and runs
// them concurrently; it returns when every chunk is done. Small ranges (below
// `min_per_thread` items per worker) run inline on the caller, so callers need not
// guess when threading pays. The thread count defaults to the hardware's, and can be
// set with SetThreadCount (benchmarks pin it) or the ZEKTRA_THREADS environment variable.
#pragma once

#include <cstddef>
#include <functional>

namespace zektra {

size_t ThreadCount();
void SetThreadCount(size_t n);

// body(chunk_begin, chunk_end) is called for disjoint chunks covering [begin, end).
void ParallelFor(size_t begin, size_t end, const std::function<void(size_t, size_t)>& body,
                 size_t min_per_thread = 1);

}  // namespace zektra
