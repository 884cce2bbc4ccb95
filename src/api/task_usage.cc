#include "api/task_usage.h"

#include "api/field_table.h"

namespace borealis::api {

namespace {

const FieldTable<TaskUsage> kUsageFields = {
    {"sampled_ms", &TaskUsage::sampled_ms},
    {"cpu_seconds", &TaskUsage::cpu_seconds},
    {"cpu_rate", &TaskUsage::cpu_rate},
    {"memory_bytes", &TaskUsage::memory_bytes},
    {"memory_peak_bytes", &TaskUsage::memory_peak_bytes, Presence::kOmitDefault},
    {"disk_bytes", &TaskUsage::disk_bytes, Presence::kOmitDefault},
    {"disk_measured_ms", &TaskUsage::disk_measured_ms, Presence::kOmitDefault}};

}  // namespace

json::object encode(const TaskUsage& u) { return encode_fields(u, kUsageFields); }

Status read_task_usage(FieldReader& r, TaskUsage* u) { return read_fields(r, u, kUsageFields); }

template <>
Result<TaskUsage> decode<TaskUsage>(const json::value& v) {
  return read_message<TaskUsage>(v, "usage", read_task_usage, true, "usage");
}

}  // namespace borealis::api
