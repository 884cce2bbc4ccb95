#include "common/json.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

#include "common/enum_names.h"
#include "common/strings.h"

namespace borealis {

namespace {

// Indexed by json::kind, in Boost.JSON's order.
constexpr std::array<std::string_view, 8> kKindNames = {
    "null", "a boolean", "an integer", "an integer", "a number", "a string", "a list", "an object"};
static_assert(static_cast<size_t>(json::kind::object) + 1 == kKindNames.size());

// The names are literals, so data() is NUL-terminated.
const char* kind_name(const json::value& v) {
  return enum_name(kKindNames, v.kind(), "a value").data();
}

// Doubles as Python prints them ("0.1", "15.0"), where Boost.JSON writes "1E-1", "1.5E1".
void append_number(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";  // JSON has no inf/nan
    return;
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  std::string_view text(buf, ec == std::errc() ? static_cast<size_t>(end - buf) : 0);
  out += text;
  if (text.find_first_of(".eE") == std::string_view::npos) out += ".0";
}

void pretty(std::string& out, const json::value& v, int indent);

// `items` between `open` and `close`, one a line, indented one level deeper than `indent`;
// write(item) appends one. Empty: just the brackets.
template <class Items, class Write>
void pretty_items(std::string& out, const Items& items, char open, char close, int indent,
                  Write write) {
  out += open;
  size_t i = 0;
  for (const auto& item : items) {
    if (i++ > 0) out += ',';
    out += '\n';
    out.append(static_cast<size_t>(indent + 1) * 2, ' ');
    write(item);
  }
  if (i > 0) {
    out += '\n';
    out.append(static_cast<size_t>(indent) * 2, ' ');
  }
  out += close;
}

void pretty(std::string& out, const json::value& v, int indent) {
  switch (v.kind()) {
    case json::kind::object:
      pretty_items(out, v.get_object(), '{', '}', indent, [&](const json::key_value_pair& kv) {
        out += json::serialize(json::value(kv.key()));
        out += ": ";
        pretty(out, kv.value(), indent + 1);
      });
      return;
    case json::kind::array:
      pretty_items(out, v.get_array(), '[', ']', indent,
                   [&](const json::value& item) { pretty(out, item, indent + 1); });
      return;
    case json::kind::double_:
      append_number(out, v.get_double());
      return;
    default:
      out += json::serialize(v);
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

std::string to_json(const json::value& v) { return json::serialize(v); }

std::string to_pretty_json(const json::value& v) {
  std::string out;
  pretty(out, v, 0);
  out += "\n";
  return out;
}

FieldReader::FieldReader(const json::object& obj, std::string path)
    : obj_(obj), path_(std::move(path)) {}

std::string FieldReader::field_path(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

Status FieldReader::error(std::string_view key, std::string_view message) const {
  return invalid_argument(field_path(key) + ": " + std::string(message));
}

bool FieldReader::has(std::string_view key) const {
  auto it = obj_.find(key);
  return it != obj_.end() && !it->value().is_null();
}

const json::value* FieldReader::raw(std::string_view key) {
  seen_.insert(std::string(key));
  auto it = obj_.find(key);
  if (it == obj_.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

void FieldReader::ignore(std::string_view key) { seen_.insert(std::string(key)); }

#define BOREALIS_FIELD_PRELUDE()   \
  const json::value* v = raw(key); \
  if (!v) return required ? error(key, "is required") : Status();

Status FieldReader::get(std::string_view key, std::string* out, bool required) {
  BOREALIS_FIELD_PRELUDE();
  if (!v->is_string()) return error(key, std::string("expected a string, got ") + kind_name(*v));
  *out = std::string(v->get_string());
  return Status();
}

Status FieldReader::get(std::string_view key, int64_t* out, bool required) {
  BOREALIS_FIELD_PRELUDE();
  if (v->is_int64()) {
    *out = v->get_int64();
  } else if (v->is_uint64()) {
    if (v->get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return error(key, "integer out of range");
    *out = static_cast<int64_t>(v->get_uint64());
  } else if (v->is_double() && std::trunc(v->get_double()) == v->get_double() &&
             std::fabs(v->get_double()) < 9.2e18) {
    *out = static_cast<int64_t>(v->get_double());
  } else {
    return error(key, std::string("expected an integer, got ") + kind_name(*v));
  }
  return Status();
}

Status FieldReader::get(std::string_view key, int32_t* out, bool required) {
  int64_t wide = *out;
  Status st = get(key, &wide, required);
  if (!st.ok()) return st;
  if (wide < std::numeric_limits<int32_t>::min() || wide > std::numeric_limits<int32_t>::max())
    return error(key, "integer out of range");
  *out = static_cast<int32_t>(wide);
  return Status();
}

Status FieldReader::get(std::string_view key, double* out, bool required) {
  BOREALIS_FIELD_PRELUDE();
  if (v->is_double()) {
    *out = v->get_double();
  } else if (v->is_int64()) {
    *out = static_cast<double>(v->get_int64());
  } else if (v->is_uint64()) {
    *out = static_cast<double>(v->get_uint64());
  } else {
    return error(key, std::string("expected a number, got ") + kind_name(*v));
  }
  if (!std::isfinite(*out)) return error(key, "must be a finite number");
  return Status();
}

Status FieldReader::get(std::string_view key, bool* out, bool required) {
  BOREALIS_FIELD_PRELUDE();
  if (!v->is_bool()) return error(key, std::string("expected true or false, got ") + kind_name(*v));
  *out = v->get_bool();
  return Status();
}

Status FieldReader::get(std::string_view key, std::vector<std::string>* out, bool required) {
  BOREALIS_FIELD_PRELUDE();
  if (!v->is_array()) return error(key, std::string("expected a list, got ") + kind_name(*v));
  std::vector<std::string> items;
  const auto& arr = v->get_array();
  for (size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string())
      return error(std::string(key) + "[" + std::to_string(i) + "]",
                   std::string("expected a string, got ") + kind_name(arr[i]));
    items.emplace_back(arr[i].get_string());
  }
  *out = std::move(items);
  return Status();
}

Status FieldReader::get(std::string_view key, std::map<std::string, std::string>* out,
                        bool required) {
  BOREALIS_FIELD_PRELUDE();
  if (!v->is_object()) return error(key, std::string("expected an object, got ") + kind_name(*v));
  std::map<std::string, std::string> items;
  for (const auto& kv : v->get_object()) {
    if (!kv.value().is_string())
      return error(std::string(key) + "." + std::string(kv.key()),
                   std::string("expected a string, got ") + kind_name(kv.value()));
    items.emplace(std::string(kv.key()), std::string(kv.value().get_string()));
  }
  *out = std::move(items);
  return Status();
}

Status FieldReader::object(std::string_view key, const std::function<Status(FieldReader&)>& fn,
                           bool required) {
  BOREALIS_FIELD_PRELUDE();
  if (!v->is_object()) return error(key, std::string("expected an object, got ") + kind_name(*v));
  FieldReader sub(v->get_object(), field_path(key));
  BOREALIS_RETURN_IF_ERROR(fn(sub));
  return sub.finish();
}

Status FieldReader::array_of_objects(std::string_view key,
                                     const std::function<Status(FieldReader&, size_t)>& fn,
                                     bool required) {
  BOREALIS_FIELD_PRELUDE();
  if (!v->is_array()) return error(key, std::string("expected a list, got ") + kind_name(*v));
  const auto& arr = v->get_array();
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string item_path = field_path(key) + "[" + std::to_string(i) + "]";
    if (!arr[i].is_object())
      return invalid_argument(item_path + ": expected an object, got " + kind_name(arr[i]));
    FieldReader sub(arr[i].get_object(), item_path);
    BOREALIS_RETURN_IF_ERROR(fn(sub, i));
    BOREALIS_RETURN_IF_ERROR(sub.finish());
  }
  return Status();
}

#undef BOREALIS_FIELD_PRELUDE

Status FieldReader::finish() const {
  for (const auto& kv : obj_) {
    if (!seen_.contains(std::string_view(kv.key()))) {
      return invalid_argument(field_path(kv.key()) + ": unknown field");
    }
  }
  return Status();
}

}  // namespace borealis
