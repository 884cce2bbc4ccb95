#include "manage/stage_file.h"

#include <dirent.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "common/files.h"
#include "common/job_key.h"
#include "common/strings.h"
#include "manage/yaml_reader.h"

namespace borealis::manage {

namespace {

constexpr size_t kMaxStageFileBytes = 1 << 20;
constexpr size_t kMaxTaskargs = 256;
constexpr size_t kMaxTaskargBytes = 4096;
constexpr std::string_view kYaml = ".yaml";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c); });
}

// A template name: a path inside the configs dir, without the .aurora.
bool is_template_name(std::string_view s) {
  if (s.empty() || s.front() == '/' || s.back() == '/') return false;
  for (const std::string& part : split(s, '/'))
    if (part.empty() || part == "." || part == ".." || !validate_identifier("file", part).ok())
      return false;
  return true;
}

class FieldsReader {
 public:
  explicit FieldsReader(const YamlReader& r) : r_(r) {}

  Result<StageFields> read(const YAML::Node& map, bool top, std::string_view where) const {
    if (top) {
      BOREALIS_RETURN_IF_ERROR(r_.only_keys(map,
                                            {"file", "user", "cluster", "buildname", "hashtype",
                                             "githash", "config", "taskargs", "envs"},
                                            where));
    } else {
      BOREALIS_RETURN_IF_ERROR(r_.only_keys(
          map,
          {"file", "user", "cluster", "buildname", "hashtype", "githash", "config", "taskargs"},
          where));
    }
    StageFields f;
    BOREALIS_RETURN_IF_ERROR(name(map["file"], "file", &f.file, is_template_name,
                                  "a template name in the configs dir, without .aurora"));
    BOREALIS_RETURN_IF_ERROR(identifier(map["user"], "user", &f.user));
    BOREALIS_RETURN_IF_ERROR(identifier(map["cluster"], "cluster", &f.cluster));
    BOREALIS_RETURN_IF_ERROR(identifier(map["buildname"], "buildname", &f.buildname));
    BOREALIS_RETURN_IF_ERROR(name(
        map["hashtype"], "hashtype", &f.hashtype, [](std::string_view s) { return s == "git"; },
        "'git' (the only kind)"));
    BOREALIS_RETURN_IF_ERROR(githash(map["githash"], &f.githash));
    if (const YAML::Node c = map["config"]) {
      BOREALIS_RETURN_IF_ERROR(
          r_.only_keys(c, {"cpu", "ram", "disk", "num_instances"}, std::string(where) + ".config"));
      if (const YAML::Node n = c["cpu"]) {
        BOREALIS_ASSIGN_OR_RETURN(double v, r_.number(n, "config.cpu", 0.001, 4096));
        f.cpu = At<double>{v, YamlReader::line(n)};
      }
      BOREALIS_RETURN_IF_ERROR(
          integer(c["ram"], "config.ram (MB)", 1, int64_t{1} << 24, &f.ram_mb));
      BOREALIS_RETURN_IF_ERROR(
          integer(c["disk"], "config.disk (MB)", 1, int64_t{1} << 30, &f.disk_mb));
      BOREALIS_RETURN_IF_ERROR(
          integer(c["num_instances"], "config.num_instances", 1, 10000, &f.instances));
    }
    if (const YAML::Node t = map["taskargs"]) {
      if (!t.IsMap()) return r_.error(t, "taskargs must be a map of names to values");
      if (t.size() > kMaxTaskargs)
        return r_.error(t, "taskargs has more than " + std::to_string(kMaxTaskargs) + " entries");
      for (const auto& kv : t) {
        if (!kv.first.IsScalar() || !validate_identifier("taskarg", kv.first.Scalar()).ok())
          return r_.error(kv.first, "a taskarg name must be letters, digits, '_', '.' or '-'");
        if (!kv.second.IsScalar())
          return r_.error(kv.second, "taskargs." + kv.first.Scalar() + " must be a single value");
        if (kv.second.Scalar().size() > kMaxTaskargBytes)
          return r_.error(kv.second, "taskargs." + kv.first.Scalar() + " is longer than " +
                                         std::to_string(kMaxTaskargBytes) + " bytes");
        f.taskargs[kv.first.Scalar()] =
            At<std::string>{kv.second.Scalar(), YamlReader::line(kv.second)};
      }
    }
    return f;
  }

 private:
  template <class Valid>
  Status name(const YAML::Node& n, std::string_view what, std::optional<At<std::string>>* out,
              Valid valid, std::string_view expected) const {
    if (!n) return Status::ok_status();
    BOREALIS_ASSIGN_OR_RETURN(std::string s, r_.string(n, what));
    if (!valid(s))
      return r_.error(
          n, std::string(what) + " must be " + std::string(expected) + ", got '" + s + "'");
    *out = At<std::string>{s, YamlReader::line(n)};
    return Status::ok_status();
  }

  Status identifier(const YAML::Node& n, std::string_view what,
                    std::optional<At<std::string>>* out) const {
    return name(
        n, what, out, [](std::string_view s) { return validate_identifier("x", s).ok(); },
        "letters, digits, '_', '.' or '-'");
  }

  Status githash(const YAML::Node& n, std::optional<At<std::string>>* out) const {
    BOREALIS_RETURN_IF_ERROR(name(
        n, "githash", out,
        [](std::string_view s) { return s.size() >= 4 && s.size() <= 40 && is_hex(s); },
        "a git commit id (4 to 40 hex digits)"));
    if (*out) {
      std::string& s = (*out)->value;
      std::transform(s.begin(), s.end(), s.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    return Status::ok_status();
  }

  Status integer(const YAML::Node& n, std::string_view what, int64_t min, int64_t max,
                 std::optional<At<int64_t>>* out) const {
    if (!n) return Status::ok_status();
    BOREALIS_ASSIGN_OR_RETURN(int64_t v, r_.integer(n, what, min, max));
    *out = At<int64_t>{v, YamlReader::line(n)};
    return Status::ok_status();
  }

  const YamlReader& r_;
};

template <class T>
void override_with(std::optional<T>& base, const std::optional<T>& over) {
  if (over) base = over;
}

}  // namespace

std::vector<std::string> StageFile::stages() const {
  std::vector<std::string> out;
  for (const auto& [stage, fields] : envs) out.push_back(stage);
  return out;
}

StageFields StageFile::merged(const std::string& stage) const {
  StageFields m = top;
  auto it = envs.find(stage);
  if (it == envs.end()) return m;
  const StageFields& o = it->second;
  override_with(m.file, o.file);
  override_with(m.user, o.user);
  override_with(m.cluster, o.cluster);
  override_with(m.buildname, o.buildname);
  override_with(m.hashtype, o.hashtype);
  override_with(m.githash, o.githash);
  override_with(m.cpu, o.cpu);
  override_with(m.ram_mb, o.ram_mb);
  override_with(m.disk_mb, o.disk_mb);
  override_with(m.instances, o.instances);
  for (const auto& [k, v] : o.taskargs) m.taskargs[k] = v;
  return m;
}

std::vector<std::string> StageFile::overridden(const std::string& stage) const {
  std::vector<std::string> keys;
  auto it = envs.find(stage);
  if (it == envs.end()) return keys;
  const StageFields& o = it->second;
  auto note = [&](bool set, const char* key) {
    if (set) keys.push_back(key);
  };
  note(o.file.has_value(), "file");
  note(o.user.has_value(), "user");
  note(o.cluster.has_value(), "cluster");
  note(o.buildname.has_value(), "buildname");
  note(o.hashtype.has_value(), "hashtype");
  note(o.githash.has_value(), "githash");
  note(o.cpu.has_value(), "config.cpu");
  note(o.ram_mb.has_value(), "config.ram");
  note(o.disk_mb.has_value(), "config.disk");
  note(o.instances.has_value(), "config.num_instances");
  for (const auto& [k, v] : o.taskargs) keys.push_back("taskargs." + k);
  std::sort(keys.begin(), keys.end());
  return keys;
}

Result<StageFile> parse_stage_file(const std::string& path, const std::string& text) {
  StageFile file;
  file.path = path;
  std::string base = path.substr(path.rfind('/') + 1);
  file.job = ends_with(base, kYaml) ? base.substr(0, base.size() - kYaml.size()) : base;
  if (Status st = validate_identifier("job name", file.job); !st.ok())
    return invalid_argument(path + ": the file name gives the job name: " + st.message());
  YamlReader r(path);
  BOREALIS_ASSIGN_OR_RETURN(YAML::Node root, r.parse(text));
  try {
    FieldsReader fields(r);
    BOREALIS_ASSIGN_OR_RETURN(file.top, fields.read(root, true, "the stage file"));
    const YAML::Node envs = root["envs"];
    if (!envs) return r.error(root, "no envs: list the stages (envs: {devel: {}, prod: {...}})");
    if (!envs.IsMap()) return r.error(envs, "envs must be a map of stage names to overrides");
    for (const auto& kv : root)  // the line of `envs:` itself, not of its first stage
      if (kv.first.Scalar() == "envs") file.envs_line = YamlReader::line(kv.first);
    for (const auto& kv : envs) {
      if (!kv.first.IsScalar() || !validate_identifier("stage", kv.first.Scalar()).ok())
        return r.error(kv.first, "a stage name must be letters, digits, '_', '.' or '-'");
      const std::string& stage = kv.first.Scalar();
      StageFields f;
      if (!kv.second.IsNull()) {  // `devel:` with nothing under it: no overrides
        BOREALIS_ASSIGN_OR_RETURN(f, fields.read(kv.second, false, "envs." + stage));
      }
      file.envs[stage] = std::move(f);
    }
  } catch (const YAML::Exception& e) {
    return invalid_argument(r.where(e.mark.line + 1) + ": " + e.msg);
  }
  return file;
}

Result<StageFile> load_stage_file(const std::string& configs_dir, const std::string& job) {
  if (Status st = validate_identifier("job name", job); !st.ok()) return st;
  std::string path = configs_dir + "/" + job + std::string(kYaml);
  auto text = read_file(path, "stage file", kMaxStageFileBytes);
  if (!text.ok()) {
    if (text.status().code() != StatusCode::kNotFound || job == "settings") return text.status();
    auto jobs = list_jobs(configs_dir);
    std::string known = jobs.ok() && !jobs->empty() ? join(*jobs, ", ") : "none";
    return not_found("no job '" + job + "' in " + configs_dir + ": " + path +
                     " does not exist (jobs there: " + known + ")");
  }
  return parse_stage_file(path, *text);
}

Result<Profile> make_profile(const StageFile& file, const std::string& stage,
                             const Settings& settings, const std::string& configs_dir) {
  if (!file.envs.count(stage)) {
    std::string known = file.envs.empty() ? "none" : join(file.stages(), ", ");
    return invalid_argument(file.path + ":" + std::to_string(file.envs_line) + ": no stage '" +
                            stage + "' under envs (stages: " + known + ")");
  }
  StageFields m = file.merged(stage);
  auto missing = [&](std::string_view key) {
    return invalid_argument(file.path + ": stage '" + stage + "' has no " + std::string(key) +
                            " (set it at the top level or under envs." + stage + ")");
  };
  Profile p;
  p.name = file.job;
  p.stage = stage;
  p.stage_file = file.path;
  if (!m.file) return missing("file (the template)");
  p.template_file = m.file->value;
  p.template_path = configs_dir + "/" + m.file->value + ".aurora";
  if (!m.user) return missing("user");
  p.user = m.user->value;
  if (m.cluster) {
    p.cluster = m.cluster->value;
  } else if (!settings.cluster.empty()) {
    p.cluster = settings.cluster;
  } else {
    return missing("cluster (and " + std::string(kSettingsFileName) + " names no default)");
  }
  if (!m.cpu) return missing("config.cpu");
  if (!m.ram_mb) return missing("config.ram");
  if (!m.disk_mb) return missing("config.disk");
  p.cpu = m.cpu->value;
  p.ram_mb = m.ram_mb->value;
  p.disk_mb = m.disk_mb->value;
  if (m.instances) p.instances = m.instances->value;
  p.hashtype = m.hashtype ? m.hashtype->value : "git";
  if (m.buildname) {
    p.buildname = m.buildname->value;
    p.buildname_at = file.path + ":" + std::to_string(m.buildname->line);
  }
  if (m.githash) {
    p.githash = m.githash->value;
    p.githash_at = file.path + ":" + std::to_string(m.githash->line);
  }
  for (const auto& [k, v] : m.taskargs) p.taskargs[k] = v.value;
  p.overrides = file.overridden(stage);
  return p;
}

Result<std::vector<std::string>> list_jobs(const std::string& configs_dir) {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(configs_dir.c_str()), closedir);
  if (!dir) return io_error("cannot list configs dir " + configs_dir + ": " + strerror(errno));
  std::vector<std::string> jobs;
  while (const dirent* e = readdir(dir.get())) {
    std::string name = e->d_name;
    if (!ends_with(name, kYaml) || name == kSettingsFileName) continue;
    jobs.push_back(name.substr(0, name.size() - kYaml.size()));
  }
  std::sort(jobs.begin(), jobs.end());
  return jobs;
}

}  // namespace borealis::manage
