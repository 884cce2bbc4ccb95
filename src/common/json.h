// JSON helpers over Boost.JSON: parsing with a size limit, and a field reader that
// names the path of every error ("task.resources.cpu: expected a number") and refuses
// fields it does not know.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace borealis {

namespace json = boost::json;

// Parses `text`; errors say where (line and column) and what. Duplicate keys in an object
// are refused, naming the key, its line and column and its path ("a.b[2].c").
Result<json::value> parse_json(std::string_view text);

// Serialises compactly.
std::string to_json(const json::value& v);
// JSON for people, ending with a newline: two-space indentation, members in their order,
// and numbers as Python prints them ("0.1", "15.0"; to_json writes "1E-1", "1.5E1").
// `borealis ... --output json`, borealis-config-dump and the golden files use it.
std::string to_pretty_json(const json::value& v);

// Reads an object's fields, remembering which were read, so `finish()` can name the
// first unknown one. Every error carries the dotted path of the field.
class FieldReader {
 public:
  FieldReader(const json::object& obj, std::string path);

  // Each getter leaves *out untouched when the field is absent (so defaults stay),
  // and returns an error when present with the wrong type. `required` makes absence
  // an error too.
  Status get(std::string_view key, std::string* out, bool required = false);
  Status get(std::string_view key, int64_t* out, bool required = false);
  Status get(std::string_view key, int32_t* out, bool required = false);
  Status get(std::string_view key, double* out, bool required = false);
  Status get(std::string_view key, bool* out, bool required = false);
  Status get(std::string_view key, std::vector<std::string>* out, bool required = false);
  Status get(std::string_view key, std::map<std::string, std::string>* out, bool required = false);

  // The raw value, or nullptr when absent (or null); marks the field as read.
  const json::value* raw(std::string_view key);
  bool has(std::string_view key) const;

  // Reads a nested object with `fn(reader)`; absent → fn not called (error if required).
  Status object(std::string_view key, const std::function<Status(FieldReader&)>& fn,
                bool required = false);
  // Reads an array of objects, calling fn(reader, index) for each.
  Status array_of_objects(std::string_view key,
                          const std::function<Status(FieldReader&, size_t)>& fn,
                          bool required = false);

  // Fields in `ignored` are accepted and skipped (e.g. Aurora fields we do not use).
  void ignore(std::string_view key);
  // Error naming the first field that no getter asked for.
  Status finish() const;

  const std::string& path() const { return path_; }
  std::string field_path(std::string_view key) const;
  Status error(std::string_view key, std::string_view message) const;

 private:
  const json::object& obj_;
  std::string path_;
  std::set<std::string, std::less<>> seen_;
};

// Appends `s` as a quoted, escaped JSON string: for hot paths that write JSON by hand.
void append_json_string(std::string& out, std::string_view s);

// Object builder helpers for to_json code.
inline json::value json_string_map(const std::map<std::string, std::string>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

}  // namespace borealis
