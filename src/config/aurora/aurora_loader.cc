#include "config/aurora/aurora_loader.h"

#include "common/files.h"
#include "common/strings.h"
#include "config/aurora/aurora_checks.h"
#include "jobspec/job_spec_json.h"
#include "jobspec/validate.h"
#include "template/template.h"

namespace borealis::config {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string display_key(const ClusterJobKey& key) {
  auto part = [](const std::string& s) { return s.empty() ? std::string("{MISSING}") : s; };
  return part(key.cluster) + "/" + part(key.job.role) + "/" + part(key.job.environment) + "/" +
         part(key.job.name);
}

// Aurora reads the collision policy case-insensitively; JobSpec spells it in capitals.
void normalise(json::value& job) {
  json::value* policy = job.get_object().if_contains("cron_collision_policy");
  if (policy == nullptr || !policy->is_string()) return;
  std::string text(policy->get_string());
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  *policy = text;
}

Status validate(json::value& job, jobspec::JobSpec* out) {
  BOREALIS_RETURN_IF_ERROR(check_references(job));
  normalise(job);
  BOREALIS_ASSIGN_OR_RETURN(*out, jobspec::job_spec_from_json(job));
  BOREALIS_RETURN_IF_ERROR(jobspec::validate_job_spec(*out));
  return check_aurora_rules(job);
}

LoadedJob finish_job(RawJob raw, size_t index) {
  LoadedJob out;
  out.key = ClusterJobKey{raw.cluster, JobKey{raw.role, raw.environment, raw.name}};
  std::string label =
      raw.name.empty() ? "jobs[" + std::to_string(index) + "]" : "job '" + raw.name + "'";
  if (raw.error) {
    std::string where = raw.error_path.empty() ? "" : raw.error_path + ": ";
    out.status = invalid_argument(label + ": " + where + *raw.error);
    return out;
  }
  Status st = validate(raw.job, &out.spec);
  if (!st.ok()) {
    out.status = invalid_argument(label + ": " + st.message());
    return out;
  }
  std::set<std::string> ports = jobspec::requested_ports(out.spec);
  out.ports.assign(ports.begin(), ports.end());
  out.aurora_json = std::move(raw.job);
  return out;
}

Result<std::vector<LoadedJob>> finish(Result<RawLoad> raw) {
  if (!raw.ok()) return raw.status();
  if (raw->file_error) return invalid_argument(*raw->file_error);
  std::vector<LoadedJob> jobs;
  jobs.reserve(raw->jobs.size());
  for (size_t i = 0; i < raw->jobs.size(); ++i)
    jobs.push_back(finish_job(std::move(raw->jobs[i]), i));
  return jobs;
}

Status check_bindings(const Bindings& bindings) {
  for (const auto& [name, value] : bindings) {
    auto ref = tmpl::Ref::parse(name);
    if (!ref.ok())
      return invalid_argument("--bind " + name + "=" + value + ": " + ref.status().message());
  }
  return Status();
}

}  // namespace

Result<std::pair<std::string, std::string>> parse_binding(std::string_view flag) {
  size_t eq = flag.find('=');
  if (eq == std::string_view::npos)
    return invalid_argument("--bind '" + std::string(flag) + "': expected name=value");
  auto ref = tmpl::Ref::parse(flag.substr(0, eq));
  if (!ref.ok())
    return invalid_argument("--bind '" + std::string(flag) + "': " + ref.status().message());
  return std::make_pair(ref->to_string(), std::string(flag.substr(eq + 1)));
}

Result<std::vector<LoadedJob>> load_aurora_text(const std::string& name, const std::string& text,
                                                const Bindings& bindings,
                                                const json::value& manage_context) {
  BOREALIS_RETURN_IF_ERROR(check_bindings(bindings));
  return finish(run_aurora_source(name, text, bindings, manage_context));
}

Result<std::vector<LoadedJob>> load_aurora_json_text(const std::string& name, std::string_view text,
                                                     const Bindings& bindings) {
  BOREALIS_RETURN_IF_ERROR(check_bindings(bindings));
  auto doc = parse_json(text);
  if (!doc.ok()) return doc.status().with_context(name);
  return finish(run_aurora_document(name, *doc, bindings));
}

Result<std::vector<LoadedJob>> load_aurora_file(const std::string& path, const Bindings& bindings) {
  BOREALIS_ASSIGN_OR_RETURN(std::string text, read_file(path, "config"));
  if (ends_with(path, ".json")) return load_aurora_json_text(path, text, bindings);
  return load_aurora_text(path, text, bindings);
}

Result<LoadedJob> select_job(const std::vector<LoadedJob>& jobs, const ClusterJobKey& key) {
  std::vector<const LoadedJob*> matches;
  for (const auto& job : jobs) {
    if (job.key.cluster == key.cluster && job.key.job == key.job) matches.push_back(&job);
  }
  if (matches.empty()) {
    std::string message = "no job " + key.to_string() + " in this config; it defines:";
    for (const auto& job : jobs) message += "\n  " + display_key(job.key);
    return not_found(message);
  }
  if (matches.size() > 1)
    return invalid_argument("this config defines " + std::to_string(matches.size()) +
                            " jobs with the key " + key.to_string() +
                            "; a key must pick exactly one");
  if (!matches[0]->status.ok()) return matches[0]->status;
  return *matches[0];
}

}  // namespace borealis::config
