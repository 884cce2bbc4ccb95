// task.json as the runner reads it (taskcontract::parse_launch_spec, validate_task), and
// the small JSON reader under it (taskcontract::json) against Boost.JSON, which the agent
// writes task.json with.
//
// Invariants:
// - every document Boost.JSON reads, re-serialised by Boost.JSON (as the agent writes),
//   reads in taskcontract::json as the same tree: what the agent writes, the runner reads;
// - every string the reader returns, quoted by append_quoted (as the runner writes its
//   checkpoint), is quoted_size bytes long and reads back as the same bytes.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/json.h"
#include "fuzz_check.h"
#include "taskcontract/json_lite.h"
#include "taskcontract/task_spec.h"

namespace borealis::fuzz {
namespace {

namespace lite = taskcontract::json;

bool finite_numbers(const json::value& v) {
  if (v.is_double()) return std::isfinite(v.get_double());
  if (v.is_array()) {
    for (const auto& e : v.get_array())
      if (!finite_numbers(e)) return false;
  }
  if (v.is_object()) {
    for (const auto& m : v.get_object())
      if (!finite_numbers(m.value())) return false;
  }
  return true;
}

// Aborts where `lite` is not the tree `boost` is, naming the path.
void check_same(const json::value& boost, const lite::Value& lite, const std::string& path) {
  using T = lite::Value::Type;
  switch (boost.kind()) {
    case json::kind::null:
      FUZZ_CHECK(lite.type == T::kNull, path + ": expected null");
      return;
    case json::kind::bool_:
      FUZZ_CHECK(lite.type == T::kBool && lite.boolean == boost.get_bool(), path + ": bool");
      return;
    case json::kind::int64:
      FUZZ_CHECK(lite.type == T::kNumber && lite.is_integer && lite.integer == boost.get_int64(),
                 path + ": integer " + std::to_string(boost.get_int64()));
      return;
    case json::kind::uint64:
      FUZZ_CHECK(lite.type == T::kNumber && lite.number == static_cast<double>(boost.get_uint64()),
                 path + ": unsigned " + std::to_string(boost.get_uint64()));
      return;
    case json::kind::double_:
      FUZZ_CHECK(lite.type == T::kNumber && lite.number == boost.get_double(),
                 path + ": number " + std::to_string(boost.get_double()));
      return;
    case json::kind::string:
      FUZZ_CHECK(lite.type == T::kString && lite.string == std::string_view(boost.get_string()),
                 path + ": string");
      return;
    case json::kind::array: {
      const auto& a = boost.get_array();
      FUZZ_CHECK(lite.type == T::kArray && lite.array.size() == a.size(), path + ": array");
      for (size_t i = 0; i < a.size(); ++i)
        check_same(a[i], lite.array[i], path + "[" + std::to_string(i) + "]");
      return;
    }
    case json::kind::object: {
      const auto& o = boost.get_object();
      FUZZ_CHECK(lite.type == T::kObject && lite.object.size() == o.size(), path + ": object");
      size_t i = 0;
      for (const auto& m : o) {
        FUZZ_CHECK(lite.object[i].first == std::string_view(m.key()), path + ": key order");
        check_same(m.value(), lite.object[i].second, path + "." + std::string(m.key()));
        ++i;
      }
      return;
    }
  }
}

void check_quoting(const lite::Value& v) {
  if (v.type == lite::Value::Type::kString) {
    std::string quoted;
    lite::append_quoted(&quoted, v.string);
    FUZZ_CHECK(quoted.size() == lite::quoted_size(v.string),
               "quoted_size " + std::to_string(lite::quoted_size(v.string)) + " but wrote " +
                   std::to_string(quoted.size()));
    auto back = lite::parse(quoted);
    FUZZ_CHECK(back.ok() && back->type == lite::Value::Type::kString && back->string == v.string,
               "a quoted string reads back differently: " + quoted);
  }
  for (const auto& e : v.array) check_quoting(e);
  for (const auto& [key, e] : v.object) check_quoting(e);
}

}  // namespace
}  // namespace borealis::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace borealis;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto spec = taskcontract::parse_launch_spec(text); spec.ok())
    (void)taskcontract::validate_task(spec->task);
  if (auto lite = taskcontract::json::parse(text); lite.ok()) fuzz::check_quoting(*lite);
  auto boost = parse_json(text);
  if (boost.ok() && fuzz::finite_numbers(*boost)) {
    std::string written = to_json(*boost);
    auto lite = taskcontract::json::parse(written);
    FUZZ_CHECK(lite.ok(), "the runner's reader refuses what Boost.JSON wrote: " +
                              lite.status().message() + "\n" + written);
    fuzz::check_same(*boost, *lite, "$");
  }
  return 0;
}
