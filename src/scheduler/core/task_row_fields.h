// The fields of a stored task row (rows.h), as views into the row or into its parsed
// JSON. Recovery reads a million of these, so the row's own shape is read by a scanner
// that makes no allocation (scan_task_row); anything it does not expect (escapes, other
// field orders, rows of other versions) is read through the JSON parser instead
// (read_task_row), which accepts every row the scanner accepts and more.
#pragma once

#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <string_view>
#include <utility>

#include "common/clock.h"
#include "common/json.h"
#include "common/result.h"

namespace borealis::scheduler {

struct TaskRowEvent {
  TimeMs ts_ms = 0;
  std::string_view state;
  std::string_view message;
};

struct TaskRowFields {
  std::string_view id, job, config, state, agent;
  int32_t instance = 0;
  boost::container::small_vector<std::pair<std::string_view, int64_t>, 4> ports;
  int32_t failures = 0;
  TimeMs throttle_until_ms = 0;
  int64_t penalty_ms = 0;
  TimeMs running_since_ms = 0;
  bool kill = false;
  boost::container::small_vector<TaskRowEvent, 8> events;
};

// Both fill a TaskRowFields the caller gives (fresh), which is large and is not moved.
// The fields of a row exactly as task_row writes it, without escapes; false otherwise
// (*out is then partly filled).
bool scan_task_row(std::string_view row, TaskRowFields* out);

// The fields of any task row, read from its parsed JSON `o` (views into `o`). Errors
// name the field.
Status read_task_row(const json::object& o, TaskRowFields* out);

}  // namespace borealis::scheduler
