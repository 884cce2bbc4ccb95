// How a daemon waits for its end: SIGINT and SIGTERM are blocked in every thread (block
// them first, before any thread starts, so threads inherit the mask) and taken by
// sigwait on the main thread, so no handler runs in the middle of other work.
//
// Thread-safety: call both from the main thread.
#pragma once

namespace borealis {

// Blocks SIGINT and SIGTERM in the calling thread.
void block_stop_signals();
// Waits until SIGINT or SIGTERM arrives; returns the signal.
int wait_for_stop_signal();

}  // namespace borealis
