// JSON for people: two-space indentation, members in their order, and numbers as Python
// prints them ("0.1", "15.0"; Boost.JSON would write "1E-1", "1.5E1"). Used for
// `job inspect --output json`, borealis-config-dump and the golden files of the tests.
//
// Pure function; any thread.
#pragma once

#include <string>

#include "common/json.h"

namespace borealis::config {

// Ends with a newline.
std::string to_display_json(const json::value& v);

}  // namespace borealis::config
