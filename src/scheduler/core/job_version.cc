#include "scheduler/core/job_version.h"

#include <cstdio>

#include "common/json.h"
#include "jobspec/job_spec_json.h"

namespace borealis::scheduler {

namespace {

constexpr uint64_t kFnvOffset = 1469598103934665603ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

uint64_t fnv1a(uint64_t h, std::string_view text) {
  for (unsigned char c : text) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

std::string hex(uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// Fields that change no task: going between versions that differ only here restarts nothing.
bool affects_tasks(std::string_view field) {
  return field != "instances" && field != "update_config";
}

}  // namespace

std::string content_hash(std::string_view text) { return hex(fnv1a(kFnvOffset, text)); }

EncodedJobVersion encode_job_version(const jobspec::JobSpec& spec) {
  const json::value v = jobspec::job_spec_to_json(spec);
  const json::object& fields = v.as_object();
  // Serialised member by member, as json::serialize lays out an object, so the task hash
  // can be taken over the same bytes instead of a second serialisation without two fields.
  EncodedJobVersion out;
  out.json.reserve(1024);
  out.json += '{';
  uint64_t task_hash = kFnvOffset;
  for (const auto& field : fields) {
    const size_t start = out.json.size();
    if (start > 1) out.json += ',';
    out.json += json::serialize(field.key());
    out.json += ':';
    out.json += json::serialize(field.value());
    if (affects_tasks(field.key()))
      task_hash = fnv1a(task_hash, std::string_view(out.json).substr(start));
  }
  out.json += '}';
  out.id = content_hash(out.json);
  out.task_hash = hex(task_hash);
  return out;
}

}  // namespace borealis::scheduler
