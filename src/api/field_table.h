// A message's plain fields named once, for both directions: encode_fields() writes them in
// table order and read_fields() reads them back, so a field added to the table is encoded,
// decoded and checked for its type together. A dotted name ("capabilities.container_images")
// is a field of a nested object. Fields that need more than this (enums, nested messages,
// conditions between fields) are written by hand around the table.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/json_fields.h"

namespace borealis::api {

enum class Presence {
  kOptional,     // always written; may be absent when read
  kRequired,     // always written; must be present when read
  kOmitDefault,  // written only when it differs from the struct's default; may be absent
};

template <typename T>
struct Field {
  using Member =
      std::variant<std::string T::*, int64_t T::*, int32_t T::*, bool T::*, double T::*,
                   std::map<std::string, int64_t> T::*, std::map<std::string, std::string> T::*,
                   std::vector<std::string> T::*, std::vector<int32_t> T::*,
                   std::optional<std::vector<int32_t>> T::*, std::optional<std::string> T::*,
                   json::value T::*, json::object T::*>;
  std::string_view name;
  Member member;
  Presence presence = Presence::kOptional;
};

template <typename T>
using FieldTable = std::vector<Field<T>>;

namespace field_table_detail {

inline json::value to_value(const std::string& v) { return json::value(v); }
inline json::value to_value(int64_t v) { return v; }
inline json::value to_value(int32_t v) { return v; }
inline json::value to_value(bool v) { return v; }
inline json::value to_value(double v) { return v; }
inline json::value to_value(const std::map<std::string, int64_t>& v) { return int_map_json(v); }
inline json::value to_value(const std::map<std::string, std::string>& v) {
  return json_string_map(v);
}
inline json::value to_value(const std::vector<std::string>& v) { return strings_json(v); }
inline json::value to_value(const std::vector<int32_t>& v) { return instance_ids_json(v); }
inline json::value to_value(const std::optional<std::vector<int32_t>>& v) {
  return v ? json::value(instance_ids_json(*v)) : json::value(nullptr);
}
inline json::value to_value(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
inline json::value to_value(const json::value& v) { return v; }
inline json::value to_value(const json::object& v) { return v; }

template <typename V>
Status read_value(FieldReader& r, std::string_view key, V* out, bool required) {
  return r.get(key, out, required);
}
inline Status read_value(FieldReader& r, std::string_view key, std::map<std::string, int64_t>* out,
                         bool required) {
  if (required && !r.has(key)) return r.error(key, "is required");
  return read_int_map(r, key, out);
}
inline Status read_value(FieldReader& r, std::string_view key,
                         std::optional<std::vector<int32_t>>* out, bool required) {
  if (required && !r.has(key)) return r.error(key, "is required");
  return read_instance_ids(r, key, out);
}
inline Status read_value(FieldReader& r, std::string_view key, std::vector<int32_t>* out,
                         bool required) {
  std::optional<std::vector<int32_t>> ids;
  BOREALIS_RETURN_IF_ERROR(read_value(r, key, &ids, required));
  if (ids) *out = std::move(*ids);
  return Status();
}
inline Status read_value(FieldReader& r, std::string_view key, std::optional<std::string>* out,
                         bool required) {
  if (!r.has(key)) {
    r.ignore(key);
    return required ? r.error(key, "is required") : Status();
  }
  std::string value;
  BOREALIS_RETURN_IF_ERROR(r.get(key, &value));
  *out = std::move(value);
  return Status();
}
inline Status read_value(FieldReader& r, std::string_view key, json::value* out, bool required) {
  const json::value* v = r.raw(key);
  if (!v) return required ? r.error(key, "is required") : Status();
  *out = *v;
  return Status();
}
inline Status read_value(FieldReader& r, std::string_view key, json::object* out, bool required) {
  if (required && !r.has(key)) return r.error(key, "is required");
  return read_object(r, key, out);
}

// Splits "a.b" into ("a", "b"); a name without a dot into ("", name).
inline std::pair<std::string_view, std::string_view> split_name(std::string_view name) {
  size_t dot = name.find('.');
  if (dot == std::string_view::npos) return {"", name};
  return {name.substr(0, dot), name.substr(dot + 1)};
}

}  // namespace field_table_detail

// Writes the table's fields of `v` into `o`, in table order.
template <typename T>
void encode_fields(json::object& o, const T& v, const FieldTable<T>& table) {
  static const T kDefault{};
  for (const Field<T>& f : table) {
    std::visit(
        [&](auto member) {
          if (f.presence == Presence::kOmitDefault && v.*member == kDefault.*member) return;
          auto [parent, key] = field_table_detail::split_name(f.name);
          json::object* target = &o;
          if (!parent.empty()) {
            if (!o.contains(parent)) o[parent] = json::object{};
            target = &o[parent].as_object();
          }
          (*target)[key] = field_table_detail::to_value(v.*member);
        },
        f.member);
  }
}

template <typename T>
json::object encode_fields(const T& v, const FieldTable<T>& table) {
  json::object o;
  encode_fields(o, v, table);
  return o;
}

// Reads the table's fields from `r` into *v; errors name the field's path.
template <typename T>
Status read_fields(FieldReader& r, T* v, const FieldTable<T>& table) {
  for (const Field<T>& f : table) {
    bool required = f.presence == Presence::kRequired;
    auto [parent, key] = field_table_detail::split_name(f.name);
    Status st = std::visit(
        [&](auto member) {
          if (parent.empty())
            return field_table_detail::read_value(r, key, &(v->*member), required);
          return nested_object(
              r, parent,
              [&](FieldReader& sub) {
                return field_table_detail::read_value(sub, key, &(v->*member), required);
              },
              required);
        },
        f.member);
    BOREALIS_RETURN_IF_ERROR(st);
  }
  return Status();
}

// Decodes an object message: `what` names it when it is not an object, `path` prefixes the
// field errors, and `strict` refuses fields `read` did not ask for.
template <typename T, typename Read>
Result<T> read_message(const json::value& v, std::string_view what, const Read& read,
                       bool strict = false, std::string path = "") {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, what));
  FieldReader r(*o, std::move(path));
  T out;
  BOREALIS_RETURN_IF_ERROR(read(r, &out));
  if (strict) BOREALIS_RETURN_IF_ERROR(r.finish());
  return out;
}

// A list of messages of a table type, and back (`strict`: elements may not carry fields
// `read` does not ask for).
template <typename T>
json::array encode_list(const std::vector<T>& items, const FieldTable<T>& table) {
  json::array out;
  for (const T& item : items) out.push_back(encode_fields(item, table));
  return out;
}

template <typename T, typename Read>
Status read_list(FieldReader& r, std::string_view key, std::vector<T>* out, const Read& read,
                 bool required = true, bool strict = false) {
  auto item = [&](FieldReader& element) { return read(element, &out->emplace_back()); };
  return strict ? each_object_strict(r, key, item, required) : each_object(r, key, item, required);
}

// A message that is one required list under `key`, {"jobs": [...]}: `what` names it in
// errors and `read` reads one element.
template <typename L, typename T, typename Read>
Result<L> read_list_message(const json::value& v, std::string_view what, std::string_view key,
                            std::vector<T> L::*items, const Read& read) {
  return read_message<L>(
      v, what, [&](FieldReader& r, L* l) { return read_list(r, key, &(l->*items), read); });
}

}  // namespace borealis::api
