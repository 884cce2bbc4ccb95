#include "api/json_fields.h"

#include <limits>

#include "common/instance_ranges.h"

namespace borealis::api {

namespace {

Status each_object_impl(FieldReader& r, std::string_view key,
                        const std::function<Status(FieldReader&)>& fn, bool required, bool strict) {
  const json::value* v = r.raw(key);
  if (!v) return required ? r.error(key, "is required") : Status();
  if (!v->is_array()) return r.error(key, "expected a list");
  const auto& arr = v->get_array();
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string path = r.field_path(key) + "[" + std::to_string(i) + "]";
    if (!arr[i].is_object()) return invalid_argument(path + ": expected an object");
    FieldReader item(arr[i].get_object(), path);
    BOREALIS_RETURN_IF_ERROR(fn(item));
    if (strict) BOREALIS_RETURN_IF_ERROR(item.finish());
  }
  return Status();
}

}  // namespace

Result<const json::object*> expect_object(const json::value& v, std::string_view what) {
  if (!v.is_object()) return invalid_argument(std::string(what) + ": expected a JSON object");
  return &v.get_object();
}

Status each_object(FieldReader& r, std::string_view key,
                   const std::function<Status(FieldReader&)>& fn, bool required) {
  return each_object_impl(r, key, fn, required, false);
}

Status each_object_strict(FieldReader& r, std::string_view key,
                          const std::function<Status(FieldReader&)>& fn, bool required) {
  return each_object_impl(r, key, fn, required, true);
}

Status nested_object(FieldReader& r, std::string_view key,
                     const std::function<Status(FieldReader&)>& fn, bool required) {
  const json::value* v = r.raw(key);
  if (!v) return required ? r.error(key, "is required") : Status();
  if (!v->is_object()) return r.error(key, "expected an object");
  FieldReader sub(v->get_object(), r.field_path(key));
  return fn(sub);
}

Status read_int_map(FieldReader& r, std::string_view key, std::map<std::string, int64_t>* out) {
  const json::value* v = r.raw(key);
  if (!v) return Status();
  if (!v->is_object()) return r.error(key, "expected an object");
  FieldReader sub(v->get_object(), r.field_path(key));
  for (const auto& kv : v->get_object()) {
    int64_t n = 0;
    BOREALIS_RETURN_IF_ERROR(sub.get(kv.key(), &n));
    (*out)[std::string(kv.key())] = n;
  }
  return Status();
}

json::object int_map_json(const std::map<std::string, int64_t>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

Status read_object(FieldReader& r, std::string_view key, json::object* out) {
  const json::value* v = r.raw(key);
  if (!v) return Status();
  if (!v->is_object()) return r.error(key, "expected an object");
  *out = v->get_object();
  return Status();
}

Status read_instance_ids(FieldReader& r, std::string_view key,
                         std::optional<std::vector<int32_t>>* out) {
  const json::value* v = r.raw(key);
  if (!v) return Status();
  if (!v->is_array()) return r.error(key, "expected a list of instance ids");
  const auto& list = v->get_array();
  if (list.size() > kMaxInstanceIdsPerRequest)
    return r.error(key, std::to_string(list.size()) + " instance ids, more than the limit of " +
                            std::to_string(kMaxInstanceIdsPerRequest));
  std::vector<int32_t> ids;
  for (size_t n = 0; n < list.size(); ++n) {
    std::string element = std::string(key) + "[" + std::to_string(n) + "]";
    // Checked before the narrowing: the id must fit the range, not just an int32.
    if (!list[n].is_int64()) return r.error(element, "expected an instance id (an integer)");
    BOREALIS_RETURN_IF_ERROR(check_range(r, element, list[n].get_int64(), 0, kMaxInstanceId));
    ids.push_back(static_cast<int32_t>(list[n].get_int64()));
  }
  *out = std::move(ids);
  return Status();
}

Status check_range(const FieldReader& r, std::string_view key, int64_t value, int64_t minimum,
                   int64_t maximum) {
  if (value >= minimum && value <= maximum) return Status();
  return r.error(key, "must be between " + std::to_string(minimum) + " and " +
                          std::to_string(maximum) + ", got " + std::to_string(value));
}

Status check_message(const FieldReader& r, std::string_view key, std::string_view message) {
  if (message.size() <= kMaxRequestMessageBytes) return Status();
  return r.error(key, std::to_string(message.size()) + " bytes, more than the limit of " +
                          std::to_string(kMaxRequestMessageBytes));
}

json::array instance_ids_json(const std::vector<int32_t>& ids) {
  json::array out;
  for (int32_t i : ids) out.push_back(i);
  return out;
}

json::array strings_json(const std::vector<std::string>& items) {
  return json::array(items.begin(), items.end());
}

}  // namespace borealis::api
