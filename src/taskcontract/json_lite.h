// A minimal JSON reader and string quoter for the task contract (task.json, checkpoint
// records). The runner links it and is paid once per task on every host, so it avoids
// Boost.JSON (see docs/internals/runner-sandbox.md, "Memory"); task.json and checkpoint
// lines are small and read once.
//
// Parsing never throws: errors come back as Status with "line L, column C: what".
// Numbers keep both forms: `integer` when the text is an integer that fits int64.
//
// Thread-safety: pure functions and plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace borealis::taskcontract::json {

struct Value {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  double number = 0;
  bool is_integer = false;  // the number was written as an integer that fits int64
  int64_t integer = 0;
  std::string string;
  std::vector<Value> array;
  std::vector<std::pair<std::string, Value>> object;  // in document order

  // Defined in the .cc, where Value is complete: Clang with libstdc++ refuses to define
  // them inline while std::pair<std::string, Value> is still incomplete.
  Value();
  ~Value();
  Value(const Value&);
  Value(Value&&) noexcept;
  Value& operator=(const Value&);
  Value& operator=(Value&&) noexcept;

  // The member named `key` in an object, or nullptr.
  const Value* find(std::string_view key) const;
};

// Names a type for messages: "an object", "a string", ...
std::string_view type_name(Value::Type type);

// Parses one JSON document (surrounding whitespace allowed). Depth is limited to 64.
Result<Value> parse(std::string_view text);

// Appends `s` as a JSON string literal (with quotes) to `out`.
void append_quoted(std::string* out, std::string_view s);

// The number of bytes append_quoted appends for `s`.
size_t quoted_size(std::string_view s);

}  // namespace borealis::taskcontract::json
