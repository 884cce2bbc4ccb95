// Reading and writing the field shapes the API and the agent protocol share: lists of
// objects, instance id lists, name -> integer maps. Every error names the field's path
// ("jobs[2].ports.http: expected an integer, got a string").
//
// Answers are read tolerantly (an older reader must accept a newer writer's extra fields),
// requests strictly (FieldReader::finish names the first unknown field): each codec says
// which.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace borealis::api {

// The value must be an object; `what` names it in the error ("task list: expected a JSON
// object").
Result<const json::object*> expect_object(const json::value& v, std::string_view what);

// Calls fn for each object of the list at `key`, without refusing fields fn does not read.
// An absent list is an error when `required`, else nothing is called.
Status each_object(FieldReader& r, std::string_view key,
                   const std::function<Status(FieldReader&)>& fn, bool required = true);
// Like each_object, but each element must have no field fn did not read.
Status each_object_strict(FieldReader& r, std::string_view key,
                          const std::function<Status(FieldReader&)>& fn, bool required = true);

// Reads the object at `key` with fn, without refusing fields fn does not read (unlike
// FieldReader::object). Absent: fn is not called (an error when `required`).
Status nested_object(FieldReader& r, std::string_view key,
                     const std::function<Status(FieldReader&)>& fn, bool required = false);

// {"name": integer, ...}
Status read_int_map(FieldReader& r, std::string_view key, std::map<std::string, int64_t>* out);
json::object int_map_json(const std::map<std::string, int64_t>& m);

// A nested object kept as JSON (e.g. a resource vector); absent leaves *out unchanged.
Status read_object(FieldReader& r, std::string_view key, json::object* out);

// Bounds on what callers send in request bodies (docs/security.md). A kill's or an
// update's `message` is copied into the events of every task it touches, and kill reasons
// reach the agents.
inline constexpr size_t kMaxRequestMessageBytes = 1024;
inline constexpr size_t kMaxInstanceIdsPerRequest = 10'000;

// A list of instance ids (0..kMaxInstanceId, at most kMaxInstanceIdsPerRequest), in the
// order given; absent -> nullopt. Errors name the element and the range.
Status read_instance_ids(FieldReader& r, std::string_view key,
                         std::optional<std::vector<int32_t>>* out);
// The field `key` holds `value`: an error naming the range unless minimum <= value <= maximum.
Status check_range(const FieldReader& r, std::string_view key, int64_t value, int64_t minimum,
                   int64_t maximum);
// A request's free text at `key`: at most kMaxRequestMessageBytes.
Status check_message(const FieldReader& r, std::string_view key, std::string_view message);
json::array instance_ids_json(const std::vector<int32_t>& ids);

// A list of strings (e.g. task ids).
json::array strings_json(const std::vector<std::string>& items);

}  // namespace borealis::api
