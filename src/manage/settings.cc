#include "manage/settings.h"

#include <algorithm>

#include "common/files.h"
#include "common/job_key.h"
#include "manage/yaml_reader.h"

namespace borealis::manage {

namespace {

constexpr size_t kMaxSettingsBytes = 1 << 20;

Result<std::string> git_name(const YamlReader& r, const YAML::Node& n, std::string_view what,
                             bool may_be_empty) {
  if (!n.IsScalar()) return r.error(n, std::string(what) + " must be a single value");
  const std::string& s = n.Scalar();
  if (s.empty() && may_be_empty) return s;
  // A ref name passed to git as one argument: no option-looking or odd names.
  bool ok = !s.empty() && s[0] != '-' && s.find("..") == std::string::npos &&
            std::all_of(s.begin(), s.end(), [](unsigned char c) {
              return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/';
            });
  if (!ok) return r.error(n, std::string(what) + " '" + s + "' is not a git name");
  return s;
}

}  // namespace

bool Settings::is_prod(const std::string& stage) const {
  return std::find(prod_stages.begin(), prod_stages.end(), stage) != prod_stages.end();
}

std::string Settings::main_ref() const {
  return git_remote.empty() ? git_branch : git_remote + "/" + git_branch;
}

Result<Settings> parse_settings(const std::string& path, const std::string& text) {
  YamlReader r(path);
  BOREALIS_ASSIGN_OR_RETURN(YAML::Node root, r.parse(text));
  Settings s;
  s.path = path;
  try {
    BOREALIS_RETURN_IF_ERROR(
        r.only_keys(root, {"cluster", "artifacts", "prod_stages", "git"}, "settings"));
    if (const YAML::Node n = root["cluster"]) {
      BOREALIS_ASSIGN_OR_RETURN(s.cluster, r.string(n, "cluster"));
      if (Status st = validate_identifier("cluster", s.cluster); !st.ok())
        return r.error(n, st.message());
    }
    if (const YAML::Node n = root["artifacts"]) {
      BOREALIS_ASSIGN_OR_RETURN(s.artifacts, r.string(n, "artifacts"));
    }
    if (const YAML::Node n = root["prod_stages"]) {
      if (!n.IsSequence()) return r.error(n, "prod_stages must be a list of stage names");
      s.prod_stages.clear();
      for (const YAML::Node& item : n) {
        BOREALIS_ASSIGN_OR_RETURN(std::string stage, r.string(item, "a prod stage"));
        if (Status st = validate_identifier("stage", stage); !st.ok())
          return r.error(item, st.message());
        s.prod_stages.push_back(std::move(stage));
      }
    }
    if (const YAML::Node git = root["git"]) {
      BOREALIS_RETURN_IF_ERROR(r.only_keys(git, {"remote", "branch"}, "git"));
      if (const YAML::Node n = git["remote"]) {
        BOREALIS_ASSIGN_OR_RETURN(s.git_remote, git_name(r, n, "git.remote", true));
      }
      if (const YAML::Node n = git["branch"]) {
        BOREALIS_ASSIGN_OR_RETURN(s.git_branch, git_name(r, n, "git.branch", false));
      }
    }
  } catch (const YAML::Exception& e) {
    return invalid_argument(r.where(e.mark.line + 1) + ": " + e.msg);
  }
  return s;
}

Result<Settings> load_settings(const std::string& configs_dir) {
  std::string path = configs_dir + "/" + kSettingsFileName;
  auto text = read_file(path, "settings file", kMaxSettingsBytes);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) return Settings{};
    return text.status();
  }
  return parse_settings(path, *text);
}

}  // namespace borealis::manage
