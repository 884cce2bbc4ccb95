// Runs independent parts of one computation on the machine's cores: for pure work that a
// single thread would otherwise do alone while nothing else can run (a scheduler's
// recovery decodes a million rows before it answers anyone).
#pragma once

#include <cstddef>
#include <functional>

namespace borealis {

// Runs fn(0) ... fn(n - 1), each exactly once, on up to `threads` threads (this one
// among them; 0 means one per core), and returns once every call has returned. Calls
// take the next part as they finish one, so slow and fast parts even out. `fn` must be
// safe to call from several threads at once and must not throw.
void parallel_for(size_t n, const std::function<void(size_t)>& fn, unsigned threads = 0);

}  // namespace borealis
