// Metric samples as data, and the three ways they are shown: the Prometheus text
// exposition format 0.0.4 (/metrics), Aurora-style `name value` lines (/vars) and one flat
// JSON object (/vars.json). Live instruments (registry.h) and figures computed at scrape
// time (a scheduler's tasks by state) both become Families, so one renderer serves both.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace borealis::metrics {

enum class MetricType { kCounter, kGauge, kHistogram };

// Label (name, value) pairs, in the order they are shown.
using Labels = std::vector<std::pair<std::string, std::string>>;

struct Sample {
  std::string suffix;  // "" for counters and gauges; "_bucket", "_sum", "_count" for histograms
  Labels labels;
  double value = 0;
};

// One metric: its name (with the unit and, for counters, "_total"), help text, type and
// samples. Names and label names must pass valid_metric_name / valid_label_name.
struct Family {
  std::string name;
  std::string help;
  MetricType type = MetricType::kGauge;
  std::vector<Sample> samples;
};

// Prometheus' rules: [a-zA-Z_:][a-zA-Z0-9_:]* for metric names, [a-zA-Z_][a-zA-Z0-9_]* for
// label names (and no leading "__", which Prometheus reserves).
bool valid_metric_name(std::string_view name);
bool valid_label_name(std::string_view name);

// A sample value as the exposition format writes it: the shortest digits that read back
// as the same double, and NaN, +Inf, -Inf.
std::string format_value(double v);

// `# HELP`, `# TYPE` and one line per sample for each family; families without samples
// keep their HELP and TYPE lines. Label values are escaped (\\, \" and \n), help text too
// (\\ and \n).
std::string render_prometheus(const std::vector<Family>& families);
// One `name{labels} value` line per sample (the series as /metrics names it; a space in a
// label value is written \x20 so every line splits at its one space).
std::string render_vars(const std::vector<Family>& families);
// {"name{labels}": value, ...}, the keys as render_vars writes them.
std::string render_vars_json(const std::vector<Family>& families);

// The content type of render_prometheus's text.
inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace borealis::metrics
