// Golden tests: every config in tests/configs/ loads to exactly what its golden file says.
//
//   NAME.aurora | NAME.json      the config (NAME.bind: --bind lines, one name=value each)
//   NAME.expected.json           {"jobs": [{key, ports, job} | {key, error}]}, where job is
//                                the canonical JobSpec JSON (jobspec::job_spec_to_json)
//   NAME.expected_error          the message of a config that must not load (the file's
//                                error, or else the first broken job's)
//
// The goldens are the spec: review a change to one as you would a change to the code.
// BOREALIS_UPDATE_GOLDENS=1 rewrites the .expected.json files from the current output.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/files.h"
#include "common/json.h"
#include "common/strings.h"
#include "config/aurora/aurora_loader.h"
#include "jobspec/job_spec_json.h"

namespace borealis::config {
namespace {

namespace fs = std::filesystem;

const char kConfigDir[] = "tests/configs";

class GoldenTest : public ::testing::Test {
 protected:
  // Messages name files as a user would type them, relative to the repository root.
  static void SetUpTestSuite() { ASSERT_EQ(chdir(BOREALIS_SOURCE_DIR), 0); }

  static std::vector<fs::path> configs() {
    std::vector<fs::path> out;
    for (const auto& entry : fs::directory_iterator(kConfigDir)) {
      const fs::path& p = entry.path();
      std::string name = p.filename().string();
      if (p.extension() == ".aurora" ||
          (p.extension() == ".json" && name.find(".expected") == std::string::npos))
        out.push_back(fs::path(kConfigDir) / p.filename());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  static fs::path sibling(const fs::path& config, const std::string& suffix) {
    return config.parent_path() / (config.stem().string() + suffix);
  }

  static Bindings bindings_for(const fs::path& config) {
    Bindings out;
    fs::path file = sibling(config, ".bind");
    auto text = read_file(file.string(), "bindings file");
    if (text.status().code() == StatusCode::kNotFound) return out;
    EXPECT_TRUE(text.ok()) << text.status().to_string();
    for (const auto& line : split(text.value_or(""), '\n')) {
      if (trim(line).empty()) continue;
      auto b = parse_binding(trim(line));
      EXPECT_TRUE(b.ok()) << file << ": " << b.status().to_string();
      if (b.ok()) out.push_back(*b);
    }
    return out;
  }
};

json::value describe(const std::vector<LoadedJob>& jobs) {
  json::array out;
  for (const auto& job : jobs) {
    json::object o{{"key", job.key.to_string()}};
    if (job.status.ok()) {
      o["ports"] = json::array(job.ports.begin(), job.ports.end());
      o["job"] = jobspec::job_spec_to_json(job.spec);
    } else {
      o["error"] = job.status.message();
    }
    out.push_back(std::move(o));
  }
  return json::object{{"jobs", std::move(out)}};
}

TEST_F(GoldenTest, EnoughConfigsOfEachKind) {
  int good = 0, broken = 0;
  for (const auto& c : configs()) {
    if (fs::exists(sibling(c, ".expected.json"))) ++good;
    if (fs::exists(sibling(c, ".expected_error"))) ++broken;
  }
  EXPECT_GE(good, 25);
  EXPECT_GE(broken, 10);
}

TEST_F(GoldenTest, ConfigsLoadToTheirGoldens) {
  const bool update = std::getenv("BOREALIS_UPDATE_GOLDENS") != nullptr;
  for (const auto& config : configs()) {
    SCOPED_TRACE(config.string());
    fs::path golden = sibling(config, ".expected.json");
    fs::path expected_error = sibling(config, ".expected_error");
    if (!update || fs::exists(expected_error)) {
      ASSERT_TRUE(fs::exists(golden) != fs::exists(expected_error))
          << "needs exactly one of " << golden << " and " << expected_error;
    }

    auto jobs = load_aurora_file(config.string(), bindings_for(config));
    if (fs::exists(expected_error)) {
      auto want_text = read_file(expected_error.string(), "expected error");
      ASSERT_TRUE(want_text.ok()) << want_text.status().to_string();
      std::string want(trim(*want_text));
      std::string got;
      if (!jobs.ok()) {
        got = jobs.status().message();
      } else {
        for (const auto& job : *jobs)
          if (!job.status.ok() && got.empty()) got = job.status.message();
      }
      EXPECT_EQ(got, want);
      continue;
    }
    ASSERT_TRUE(jobs.ok()) << jobs.status().to_string();
    json::value doc = describe(*jobs);
    if (update) {
      std::ofstream(golden) << to_pretty_json(doc);
      continue;
    }
    auto golden_text = read_file(golden.string(), "golden file");
    ASSERT_TRUE(golden_text.ok()) << golden_text.status().to_string();
    auto want = parse_json(*golden_text);
    ASSERT_TRUE(want.ok()) << want.status().to_string();
    EXPECT_EQ(to_pretty_json(doc), to_pretty_json(*want));
    // The loader's Aurora-shaped JSON is already the canonical JobSpec JSON.
    for (const auto& job : *jobs) {
      if (!job.status.ok()) continue;
      EXPECT_EQ(job.aurora_json, jobspec::job_spec_to_json(job.spec))
          << job.key.to_string() << "\nloader:\n"
          << to_pretty_json(job.aurora_json) << "JobSpec:\n"
          << to_pretty_json(jobspec::job_spec_to_json(job.spec));
    }
  }
}

}  // namespace
}  // namespace borealis::config
