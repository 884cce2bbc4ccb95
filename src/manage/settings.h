// The configs directory's settings file, `<configs>/settings.yaml` (optional):
//
//   cluster: devcluster          # the cluster of stage files that name none
//   artifacts: /srv/artifacts    # the artifact store: a directory or an http(s) base URL
//   prod_stages: [prod]          # stages deployed only from merged commits (default [prod])
//   git: {remote: origin, branch: main}   # what "merged" means; remote "" = a local branch
//
// An unknown key or a wrong type is an error naming FILE:LINE.
//
// Thread-safety: pure functions; any thread.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace borealis::manage {

inline constexpr char kSettingsFileName[] = "settings.yaml";

struct Settings {
  std::string path;  // the file read; empty when the configs dir has none
  std::string cluster;
  std::string artifacts;
  std::vector<std::string> prod_stages = {"prod"};
  std::string git_remote = "origin";
  std::string git_branch = "main";

  bool is_prod(const std::string& stage) const;
  // "origin/main", or "main" for a local branch.
  std::string main_ref() const;
};

// Parses the text of a settings file named `path` (for messages).
Result<Settings> parse_settings(const std::string& path, const std::string& text);
// `<configs_dir>/settings.yaml`, or the defaults when there is no such file.
Result<Settings> load_settings(const std::string& configs_dir);

}  // namespace borealis::manage
