// The runner's own diagnostics: one line per call to stderr (the agent points it at
// <sandbox>/.runner/runner.log), written with a single write(2) and no stdio buffer,
// prefixed with the wall time and pid. printf-style formatting.
//
// Thread-safety: any thread (one write per line).
#pragma once

namespace borealis::runner {

[[gnu::format(printf, 1, 2)]] void diag(const char* format, ...);

}  // namespace borealis::runner
