#include "manage/yaml_reader.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "common/strings.h"

namespace borealis::manage {

namespace {

std::string format_number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

}  // namespace

Status YamlReader::error(const YAML::Node& at, const std::string& what) const {
  return invalid_argument(where(line(at)) + ": " + what);
}

Result<YAML::Node> YamlReader::parse(const std::string& text) const {
  try {
    YAML::Node root = YAML::Load(text);
    if (root.IsNull()) return YAML::Node(YAML::NodeType::Map);
    if (!root.IsMap()) return error(root, "expected a map of keys at the top level");
    return root;
  } catch (const YAML::Exception& e) {
    return invalid_argument(where(e.mark.line + 1) + ": " + e.msg);
  }
}

Status YamlReader::only_keys(const YAML::Node& n, std::initializer_list<std::string_view> known,
                             std::string_view where) const {
  if (!n.IsMap()) return error(n, std::string(where) + " must be a map");
  for (const auto& kv : n) {
    if (!kv.first.IsScalar())
      return error(kv.first, "keys in " + std::string(where) + " must be names");
    const std::string& key = kv.first.Scalar();
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string list;
    for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    return error(kv.first,
                 "unknown key '" + key + "' in " + std::string(where) + " (known: " + list + ")");
  }
  return Status::ok_status();
}

Result<std::string> YamlReader::string(const YAML::Node& n, std::string_view what) const {
  if (!n.IsScalar()) return error(n, std::string(what) + " must be a single value");
  if (n.Scalar().empty()) return error(n, std::string(what) + " must not be empty");
  return n.Scalar();
}

Result<double> YamlReader::number(const YAML::Node& n, std::string_view what, double min,
                                  double max) const {
  if (!n.IsScalar()) return error(n, std::string(what) + " must be a number");
  auto v = parse_double(n.Scalar());
  if (!v || !std::isfinite(*v))
    return error(n, std::string(what) + " must be a number, got '" + n.Scalar() + "'");
  if (*v < min || *v > max)
    return error(n, std::string(what) + " must be between " + format_number(min) + " and " +
                        format_number(max) + ", got " + n.Scalar());
  return *v;
}

Result<int64_t> YamlReader::integer(const YAML::Node& n, std::string_view what, int64_t min,
                                    int64_t max) const {
  if (!n.IsScalar()) return error(n, std::string(what) + " must be a whole number");
  auto v = parse_int64(n.Scalar());
  if (!v) return error(n, std::string(what) + " must be a whole number, got '" + n.Scalar() + "'");
  if (*v < min || *v > max)
    return error(n, std::string(what) + " must be between " + std::to_string(min) + " and " +
                        std::to_string(max) + ", got " + n.Scalar());
  return *v;
}

}  // namespace borealis::manage
