// What a fuzz target asserts: an invariant of the code under test that no input may break
// (a round trip, a bound). A broken one aborts, which libFuzzer and the replay main both
// report as a crash with the input that caused it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace borealis::fuzz {

[[noreturn]] inline void check_failed(const char* file, int line, const char* what,
                                      const std::string& detail) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s\n%s\n", file, line, what, detail.c_str());
  std::abort();
}

}  // namespace borealis::fuzz

// FUZZ_CHECK(condition, detail): `detail` (a std::string) is evaluated only on failure.
#define FUZZ_CHECK(cond, detail)                                                      \
  do {                                                                                \
    if (!(cond)) ::borealis::fuzz::check_failed(__FILE__, __LINE__, #cond, (detail)); \
  } while (0)
