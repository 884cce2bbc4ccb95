#include "metrics/opentsdb.h"

#include <cmath>

#include "common/json.h"

namespace borealis::metrics {

std::string opentsdb_text(std::string_view text) {
  if (text.empty()) return "_";
  std::string out(text);
  for (char& c : out) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_' || c == '.' || c == '/';
    if (!allowed) c = '_';
  }
  return out;
}

namespace {

// Whole numbers (bytes) as JSON integers, so OpenTSDB stores them as integers.
json::value number(double v) {
  constexpr double kExact = 9007199254740992.0;  // 2^53
  if (std::trunc(v) == v && std::fabs(v) < kExact) return static_cast<int64_t>(v);
  return v;
}

}  // namespace

std::vector<std::string> opentsdb_put_bodies(const std::vector<OpenTsdbPoint>& points,
                                             size_t max_points) {
  std::vector<std::string> bodies;
  json::array batch;
  auto flush = [&] {
    if (batch.empty()) return;
    bodies.push_back(json::serialize(batch));
    batch.clear();
  };
  for (const OpenTsdbPoint& p : points) {
    if (!std::isfinite(p.value)) continue;
    json::object tags;
    for (const auto& [key, value] : p.tags) tags[opentsdb_text(key)] = opentsdb_text(value);
    batch.push_back(json::object{{"metric", opentsdb_text(p.metric)},
                                 {"timestamp", p.timestamp_s},
                                 {"value", number(p.value)},
                                 {"tags", std::move(tags)}});
    if (batch.size() >= max_points) flush();
  }
  flush();
  return bodies;
}

}  // namespace borealis::metrics
