// Conversions between Python values and JSON, for the embedded interpreter's results.
// Internal to src/config/aurora; callers hold the GIL.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

#include "common/json.h"

namespace borealis::config {

// dict (string keys, order kept), list/tuple, str, int, float, bool and None. Any other
// type is an error naming `path`.
Result<json::value> json_from_python(pybind11::handle value, const std::string& path);

// The Python form of a JSON value (dicts, lists, str, int, float, bool, None). A null
// member of an object is dropped: Aurora's JSON form means "unset" by it.
pybind11::object python_from_json(const json::value& value);

}  // namespace borealis::config
