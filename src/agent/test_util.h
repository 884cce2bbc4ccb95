// Helpers shared by the agent's tests: a temporary directory and waiting for a condition
// with a deadline (never a fixed sleep).
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include "testing/temp_dir.h"

namespace borealis::agent::testing {

using borealis::testing::TempDir;

inline void write_text(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

inline void append_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::app) << text;
}

// Polls `cond` every few milliseconds until it holds or `timeout` passes.
inline bool wait_for(const std::function<bool()>& cond,
                     std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return cond();
}

}  // namespace borealis::agent::testing
