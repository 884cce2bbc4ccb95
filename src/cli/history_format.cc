#include "cli/history_format.h"

#include <ctime>

#include "cli/table.h"

namespace borealis::cli {

namespace {

const json::value* member(const json::value& v, const char* name) {
  return v.is_object() ? v.as_object().if_contains(name) : nullptr;
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

std::string signed_number(int64_t n) { return (n > 0 ? "+" : "") + std::to_string(n); }

}  // namespace

std::string spec_metadata(const json::value& spec, const std::string& key) {
  const json::value* list = member(spec, "metadata");
  if (!list || !list->is_array()) return "";
  for (const json::value& entry : list->as_array()) {
    const json::value* k = member(entry, "key");
    const json::value* v = member(entry, "value");
    if (k && v && k->is_string() && v->is_string() && k->get_string() == key)
      return std::string(v->get_string());
  }
  return "";
}

int64_t spec_instances(const json::value& spec) {
  const json::value* n = member(spec, "instances");
  return n && n->is_int64() ? n->get_int64() : -1;
}

std::string format_utc(TimeMs ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string format_history(const JobHistory& h) {
  Table table({"KIND", "UPDATE", "STATUS", "STARTED (UTC)", "ENDED (UTC)", "BY", "INSTANCES",
               "GITHASH", "BUILD", "MESSAGE"});
  for (size_t i = 0; i < h.entries.size(); ++i) {
    const HistoryEntry& e = h.entries[i];
    std::string instances = e.instances < 0 ? "" : std::to_string(e.instances);
    // The change in size from the version before it (the next, older entry).
    if (i + 1 < h.entries.size() && e.instances >= 0 && h.entries[i + 1].instances >= 0 &&
        e.instances != h.entries[i + 1].instances)
      instances += " (" + signed_number(e.instances - h.entries[i + 1].instances) + ")";
    table.add_row({e.kind, e.update_id, e.status, e.started_ms ? format_utc(e.started_ms) : "",
                   e.ended_ms ? format_utc(e.ended_ms) : "", e.user, instances, e.githash,
                   e.buildname, e.message});
  }
  if (table.empty()) return "No history for " + h.job + ".\n";
  std::string out = table.render();
  out += "Now: version " + or_dash(h.current_config) + ", " + std::to_string(h.current_instances) +
         " instances";
  const HistoryEntry& oldest = h.entries.back();
  if (oldest.kind == "create" && oldest.instances >= 0) {
    int64_t change = h.current_instances - oldest.instances;
    out += change == 0 ? " (as created)"
                       : " (" + signed_number(change) + " since the create's " +
                             std::to_string(oldest.instances) + ")";
  }
  return out + "\n";
}

json::value history_json(const JobHistory& h) {
  json::array entries;
  for (const HistoryEntry& e : h.entries) {
    json::object o{{"kind", e.kind},           {"update_id", e.update_id},
                   {"status", e.status},       {"started_ms", e.started_ms},
                   {"ended_ms", e.ended_ms},   {"user", e.user},
                   {"message", e.message},     {"config_id", e.config_id},
                   {"instances", e.instances}, {"githash", e.githash},
                   {"buildname", e.buildname}};
    entries.push_back(std::move(o));
  }
  return json::object{{"job", h.job},
                      {"history", std::move(entries)},
                      {"current", json::object{{"config_id", h.current_config},
                                               {"instances", h.current_instances}}}};
}

}  // namespace borealis::cli
