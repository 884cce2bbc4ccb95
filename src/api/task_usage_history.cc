#include "api/task_usage_history.h"

#include "api/field_table.h"

namespace borealis::api {

namespace {

const FieldTable<TaskUsageSample> kSampleFields = {
    {"sampled_ms", &TaskUsageSample::sampled_ms, Presence::kRequired},
    {"cpu_rate", &TaskUsageSample::cpu_rate, Presence::kRequired},
    {"memory_bytes", &TaskUsageSample::memory_bytes, Presence::kRequired},
    {"disk_bytes", &TaskUsageSample::disk_bytes, Presence::kOmitDefault}};

}  // namespace

json::object encode(const TaskUsageHistory& h) {
  return json::object{{"task_id", h.task_id}, {"samples", encode_list(h.samples, kSampleFields)}};
}

template <>
Result<TaskUsageHistory> decode<TaskUsageHistory>(const json::value& v) {
  return read_message<TaskUsageHistory>(
      v, "task usage history",
      [](FieldReader& r, TaskUsageHistory* h) {
        BOREALIS_RETURN_IF_ERROR(r.get("task_id", &h->task_id, true));
        BOREALIS_RETURN_IF_ERROR(read_list(
            r, "samples", &h->samples,
            [](FieldReader& s, TaskUsageSample* out) { return read_fields(s, out, kSampleFields); },
            true, true));
        if (h->samples.size() > kTaskUsageHistorySamples)
          return r.error("samples", "holds " + std::to_string(h->samples.size()) +
                                        " samples, at most " +
                                        std::to_string(kTaskUsageHistorySamples));
        return Status();
      },
      true);
}

}  // namespace borealis::api
