// Giving memory back to the system after large requests (glibc). A body of
// up to 10 MB is read, parsed and dropped; without this its pages stay in
// the allocator's arenas and the process keeps them (docs/decisions.md D-84).
#pragma once

#include <cstddef>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace cvm::server {

// Requests whose body is at least this large are followed by
// ReleaseFreeMemory.
inline constexpr size_t kReleaseMemoryAfterBody = 1024 * 1024;

// Allocations of 1 MiB and more (request bodies) get pages of their own,
// returned to the system when freed, whatever sizes came before (glibc
// otherwise raises that threshold after each large free). Call once, at
// start-up.
inline void TuneAllocator() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
#endif
}

// Returns the allocator's free pages to the system.
inline void ReleaseFreeMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace cvm::server
