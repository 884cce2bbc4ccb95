// borealis-config-dump FILE [--bind name=value]... [--key CLUSTER/ROLE/ENV/NAME]
//
// Prints what a config defines: without --key, {"jobs": [{key, ports, job} or {key, error}]};
// with --key, the Aurora-shaped JSON of that one job. Exit status: 0 loaded, 1 the file or
// the selected job is invalid, 2 bad usage. For tests, benchmarks and curious people.
#include <cstdio>
#include <string>
#include <string_view>

#include "common/json.h"
#include "config/aurora/aurora_loader.h"

namespace {

int usage() {
  std::fputs(
      "usage: borealis-config-dump FILE [--bind name=value]... [--key CLUSTER/ROLE/ENV/NAME]\n",
      stderr);
  return 2;
}

int fail(const borealis::Status& st) {
  std::fprintf(stderr, "%s\n", st.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace borealis;
  std::string file, key_text;
  config::Bindings bindings;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if ((arg == "--bind" || arg == "--key") && i + 1 < argc) {
      std::string_view value = argv[++i];
      if (arg == "--key") {
        key_text = value;
        continue;
      }
      auto binding = config::parse_binding(value);
      if (!binding.ok()) return fail(binding.status());
      bindings.push_back(*binding);
    } else if (!arg.empty() && arg[0] != '-' && file.empty()) {
      file = arg;
    } else {
      return usage();
    }
  }
  if (file.empty()) return usage();

  auto jobs = config::load_aurora_file(file, bindings);
  if (!jobs.ok()) return fail(jobs.status());
  if (!key_text.empty()) {
    auto key = parse_cluster_job_key(key_text);
    if (!key.ok()) return fail(key.status());
    auto job = config::select_job(*jobs, *key);
    if (!job.ok()) return fail(job.status());
    std::fputs(to_pretty_json(job->aurora_json).c_str(), stdout);
    return 0;
  }
  json::array out;
  for (const auto& job : *jobs) {
    json::object o{{"key", job.key.to_string()}};
    if (job.status.ok()) {
      o["ports"] = json::array(job.ports.begin(), job.ports.end());
      o["job"] = job.aurora_json;
    } else {
      o["error"] = job.status.message();
    }
    out.push_back(std::move(o));
  }
  std::fputs(to_pretty_json(json::object{{"jobs", std::move(out)}}).c_str(), stdout);
  return 0;
}
