// PostgreSQL's binary wire formats that PgStore speaks: a text[] parameter (many rows in
// one INSERT ... unnest() without quoting JSON) and COPY ... (FORMAT binary) output (a whole
// table read without per-row results or unescaping). Server replies are hostile input: every
// length is checked against what arrived.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "scheduler/core/store_batch.h"

namespace borealis::scheduler {

// A one-dimensional text[] without NULLs in the binary array format.
class TextArray {
 public:
  void add(std::string_view element);
  size_t size() const { return count_; }
  size_t bytes() const { return elements_.size(); }
  // The parameter's bytes (header + elements); valid until the next add().
  const std::string& finish();

 private:
  std::string elements_;  // per element: int32 length, bytes
  std::string wire_;
  size_t count_ = 0;
};

// Rows of a two-column (id, data) COPY TO STDOUT (FORMAT binary), fed one CopyData message
// at a time (libpq hands over whole messages; the header comes with the first row).
class CopyReader {
 public:
  Status feed(std::string_view message, std::vector<Row>& rows);
  // True once the end-of-data marker arrived.
  bool finished() const { return finished_; }

 private:
  bool header_seen_ = false;
  bool finished_ = false;
};

}  // namespace borealis::scheduler
