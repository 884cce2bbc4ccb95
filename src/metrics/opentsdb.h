// OpenTSDB's HTTP write API (`POST /api/put`,
// http://opentsdb.net/docs/build/html/api_http/put.html): data points and the JSON bodies that
// carry them, in bounded batches.
//
//   [{"metric": "borealis.task.memory_bytes", "timestamp": 1700000000, "value": 1048576,
//     "tags": {"role": "www", "environment": "prod", "job": "hello", "instance": "0",
//              "host": "agent-1"}}, ...]
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace borealis::metrics {

struct OpenTsdbPoint {
  std::string metric;
  int64_t timestamp_s = 0;  // Unix seconds
  double value = 0;
  std::map<std::string, std::string> tags;  // at least one, as OpenTSDB asks
};

// OpenTSDB allows a-z, A-Z, 0-9, '-', '_', '.' and '/' in metric names, tag keys and tag
// values; any other byte becomes '_', and an empty text "_" (OpenTSDB refuses empty values).
std::string opentsdb_text(std::string_view text);

// The points as `POST /api/put` bodies of at most `max_points` points each (OpenTSDB's
// guidance is about 50 per request), in order. Names and tags go through opentsdb_text; a
// value that is not finite is left out (JSON has no NaN); whole values are written as
// integers.
std::vector<std::string> opentsdb_put_bodies(const std::vector<OpenTsdbPoint>& points,
                                             size_t max_points);

}  // namespace borealis::metrics
