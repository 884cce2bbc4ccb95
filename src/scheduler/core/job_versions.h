// JobVersions: every stored version of every job's configuration, by id. A version is
// encoded once, when it is first interned (or restored); its JSON is then shared by the
// store row, the agents' launch commands and the API's views.
//
// Threading: owned by the core's model; core thread only.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "scheduler/core/model.h"
#include "scheduler/core/store_batch.h"

namespace borealis::scheduler {

class JobVersions {
 public:
  // The version of `spec`: an existing one when the same spec was interned before, else
  // a new one, also queued as a row for the next store batch.
  ConfigPtr intern(const jobspec::JobSpec& spec);
  // Rebuilds a stored version from its row (its JSON) under its stored id.
  Status restore(const std::string& id, const std::string& row);

  ConfigPtr find(const std::string& id) const;
  size_t size() const { return by_id_.size(); }
  // Rows of versions interned since the last call.
  std::vector<Row> take_new_rows();

  // How many times a JobSpec was encoded to JSON: once per intern() or restore(). A test
  // hook: it shows that nothing encodes a version a second time.
  uint64_t encodings() const { return encodings_; }

 private:
  std::unordered_map<std::string, ConfigPtr> by_id_;
  std::vector<Row> new_rows_;
  uint64_t encodings_ = 0;
};

}  // namespace borealis::scheduler
