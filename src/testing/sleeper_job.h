// The job the cluster tests run: `instances` of `sleep 600` as www-data/test/sleeper, each
// asking a quarter core and 16 MiB of RAM and disk.
#pragma once

#include "common/json.h"

namespace borealis::testing {

inline constexpr const char* kSleeperJob = "www-data/test/sleeper";

inline json::value sleeper_job(int instances) {
  json::object process{{"name", "main"}, {"cmdline", "sleep 600"}};
  return json::object{
      {"name", "sleeper"},
      {"role", "www-data"},
      {"environment", "test"},
      {"cluster", "devcluster"},
      {"instances", instances},
      {"service", true},
      {"task", json::object{{"processes", json::array{process}},
                            {"resources",
                             json::object{{"cpu", 0.25}, {"ram", 16 << 20}, {"disk", 16 << 20}}}}}};
}

}  // namespace borealis::testing
