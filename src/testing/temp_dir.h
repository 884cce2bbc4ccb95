// A temporary directory for a test, made unique by mkdtemp and removed with everything in
// it when the test's TempDir goes. Header-only so any module's tests can use it without
// linking the test cluster.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

namespace borealis::testing {

class TempDir {
 public:
  // The directory is named /tmp/<prefix>-XXXXXX; path() is empty if it could not be made.
  explicit TempDir(std::string_view prefix = "borealis") {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(tmpl.data())) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path()/rel
  std::string operator/(std::string_view rel) const { return path_ + "/" + std::string(rel); }

  // Writes `text` to path()/name (creating directories) and returns the full path.
  std::string write(std::string_view name, std::string_view text) const {
    std::filesystem::path p = std::filesystem::path(path_) / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
    return p.string();
  }

 private:
  std::string path_;
};

}  // namespace borealis::testing
