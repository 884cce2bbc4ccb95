// Test helpers: a temporary task directory (with .runner/, as the agent makes it) removed
// at the end of the test, and small file utilities. For runner tests only.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

namespace borealis::runner::testing {

class TempSandbox {
 public:
  TempSandbox() {
    char tmpl[] = "/tmp/borealis-runner-test.XXXXXX";
    char* dir = ::mkdtemp(tmpl);
    EXPECT_NE(dir, nullptr);
    path_ = dir ? dir : "/nonexistent";
    ::chmod(path_.c_str(), 0750);
    ::mkdir((path_ + "/.runner").c_str(), 0700);
  }
  ~TempSandbox() {
    std::string cmd = "rm -rf '" + path_ + "'";
    int rc = std::system(cmd.c_str());
    (void)rc;
  }
  TempSandbox(const TempSandbox&) = delete;
  TempSandbox& operator=(const TempSandbox&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& rel) const { return path_ + "/" + rel; }
  // A file in the processes' work dir, <task dir>/sandbox.
  std::string work(const std::string& rel) const { return path_ + "/sandbox/" + rel; }

 private:
  std::string path_;
};

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// Polls `done` every 5 ms until it holds or `timeout_ms` passes: for waiting on real
// processes, which no fake clock can drive.
inline bool wait_until(const std::function<bool()>& done, int timeout_ms = 5000) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace borealis::runner::testing
