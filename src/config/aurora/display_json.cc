#include "config/aurora/display_json.h"

#include <charconv>
#include <cmath>

namespace borealis::config {

namespace {

void number(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";  // JSON has no inf/nan
    return;
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  std::string text(buf, ec == std::errc() ? end : buf);
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  out += text;
}

void write(std::string& out, const json::value& v, int indent) {
  auto newline = [&](int n) {
    out += '\n';
    out.append(static_cast<size_t>(n) * 2, ' ');
  };
  switch (v.kind()) {
    case json::kind::object: {
      const auto& o = v.get_object();
      if (o.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      size_t i = 0;
      for (const auto& kv : o) {
        newline(indent + 1);
        out += json::serialize(json::value(kv.key()));
        out += ": ";
        write(out, kv.value(), indent + 1);
        if (++i < o.size()) out += ',';
      }
      newline(indent);
      out += '}';
      return;
    }
    case json::kind::array: {
      const auto& a = v.get_array();
      if (a.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (size_t i = 0; i < a.size(); ++i) {
        newline(indent + 1);
        write(out, a[i], indent + 1);
        if (i + 1 < a.size()) out += ',';
      }
      newline(indent);
      out += ']';
      return;
    }
    case json::kind::double_:
      number(out, v.get_double());
      return;
    default:
      out += json::serialize(v);
  }
}

}  // namespace

std::string to_display_json(const json::value& v) {
  std::string out;
  write(out, v, 0);
  out += '\n';
  return out;
}

}  // namespace borealis::config
