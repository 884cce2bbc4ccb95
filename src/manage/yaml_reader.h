// Reading the manage YAML files (stage files, settings.yaml) with FILE:LINE errors.
// Everything yaml-cpp throws stays inside the .cc files of this library; callers get a Status.
//
// Thread-safety: pure functions; any thread.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/result.h"

namespace borealis::manage {

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }

  // The 1-based line of `n` in the file.
  static int line(const YAML::Node& n) { return n.Mark().line + 1; }
  // "FILE:LINE"
  std::string where(int line) const { return file_ + ":" + std::to_string(line); }
  // INVALID_ARGUMENT "FILE:LINE: what".
  Status error(const YAML::Node& at, const std::string& what) const;
  // The whole file parsed; a syntax error says FILE:LINE. An empty file is an empty map.
  Result<YAML::Node> parse(const std::string& text) const;
  // `n` must be a map whose keys are all in `known` (errors list them).
  Status only_keys(const YAML::Node& n, std::initializer_list<std::string_view> known,
                   std::string_view where) const;
  // A non-empty scalar.
  Result<std::string> string(const YAML::Node& n, std::string_view what) const;
  // A number in [min, max].
  Result<double> number(const YAML::Node& n, std::string_view what, double min, double max) const;
  // An integer in [min, max].
  Result<int64_t> integer(const YAML::Node& n, std::string_view what, int64_t min,
                          int64_t max) const;

 private:
  std::string file_;
};

}  // namespace borealis::manage
