#include "metrics/exposition.h"

#include <charconv>
#include <cmath>

#include "common/json.h"

namespace borealis::metrics {

namespace {

bool name_char(char c, bool first, bool colon) {
  bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  if (alpha || (colon && c == ':')) return true;
  return !first && c >= '0' && c <= '9';
}

bool valid_name(std::string_view name, bool colon) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i)
    if (!name_char(name[i], i == 0, colon)) return false;
  return true;
}

const char* type_name(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// Prometheus' float syntax: shortest round-trip digits, and NaN, +Inf, -Inf.
void append_value(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, ec == std::errc() ? end : buf);
  }
}

// Escapes `\`, `"` (when `quote`) and newlines, as the exposition format asks; `space`
// also writes a space as \x20 (for /vars lines).
void append_escaped(std::string& out, std::string_view s, bool quote, bool space) {
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else if (space && c == ' ') {
      out += "\\x20";
    } else {
      out += c;
    }
  }
}

void append_series(std::string& out, const Family& f, const Sample& s, bool vars) {
  out += f.name;
  out += s.suffix;
  if (s.labels.empty()) return;
  out += '{';
  for (size_t i = 0; i < s.labels.size(); ++i) {
    if (i) out += ',';
    out += s.labels[i].first;
    out += "=\"";
    append_escaped(out, s.labels[i].second, true, vars);
    out += '"';
  }
  out += '}';
}

// One `series value` line per sample of `f`.
void append_lines(std::string& out, const Family& f, bool vars) {
  for (const Sample& s : f.samples) {
    append_series(out, f, s, vars);
    out += ' ';
    append_value(out, s.value);
    out += '\n';
  }
}

}  // namespace

std::string format_value(double v) {
  std::string out;
  append_value(out, v);
  return out;
}

bool valid_metric_name(std::string_view name) { return valid_name(name, true); }

bool valid_label_name(std::string_view name) {
  return valid_name(name, false) && !name.starts_with("__");
}

std::string render_prometheus(const std::vector<Family>& families) {
  std::string out;
  for (const Family& f : families) {
    out += "# HELP " + f.name + " ";
    append_escaped(out, f.help, false, false);
    out += "\n# TYPE " + f.name + " " + type_name(f.type) + "\n";
    append_lines(out, f, false);
  }
  return out;
}

std::string render_vars(const std::vector<Family>& families) {
  std::string out;
  for (const Family& f : families) append_lines(out, f, true);
  return out;
}

std::string render_vars_json(const std::vector<Family>& families) {
  json::object out;
  std::string key;
  for (const Family& f : families)
    for (const Sample& s : f.samples) {
      key.clear();
      append_series(key, f, s, true);
      // JSON has no NaN or infinity: such a value is null.
      // Whole numbers as integers (Boost.JSON would write 3 as 3E0).
      if (!std::isfinite(s.value))
        out[key] = nullptr;
      else if (std::trunc(s.value) == s.value && std::fabs(s.value) < 9e15)
        out[key] = static_cast<int64_t>(s.value);
      else
        out[key] = s.value;
    }
  return json::serialize(out);
}

}  // namespace borealis::metrics
