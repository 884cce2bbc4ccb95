#include "scheduler/core/job_versions.h"

#include "common/json.h"
#include "jobspec/job_spec_json.h"
#include "scheduler/core/job_version.h"

namespace borealis::scheduler {

namespace {

std::shared_ptr<JobConfig> make_config(std::string id, jobspec::JobSpec spec, std::string json,
                                       std::string task_hash) {
  auto c = std::make_shared<JobConfig>();
  c->id = std::move(id);
  c->spec = std::move(spec);
  c->spec_json = std::move(json);
  c->task_hash = std::move(task_hash);
  c->ports = jobspec::port_plan(c->spec);
  c->resources = ResourceVec::from_spec(*c->spec.task.resources);
  return c;
}

}  // namespace

ConfigPtr JobVersions::intern(const jobspec::JobSpec& spec) {
  EncodedJobVersion encoded = encode_job_version(spec);
  ++encodings_;
  std::string id = std::move(encoded.id);
  auto it = by_id_.find(id);
  if (it != by_id_.end() && it->second->spec_json == encoded.json) return it->second;
  // A hash collision. append(), not `"-" + std::to_string(...)`: GCC 12 warns a false
  // -Wrestrict on the latter at -O2 and above (GCC bug 105329).
  if (it != by_id_.end()) id.append("-").append(std::to_string(by_id_.size()));
  ConfigPtr c = make_config(id, spec, std::move(encoded.json), std::move(encoded.task_hash));
  by_id_[id] = c;
  new_rows_.emplace_back(id, c->spec_json);
  return c;
}

Status JobVersions::restore(const std::string& id, const std::string& row) {
  auto v = parse_json(row);
  if (!v.ok()) return v.status().with_context("config " + id);
  auto spec = jobspec::job_spec_from_json(*v);
  if (!spec.ok()) return spec.status().with_context("config " + id);
  if (!spec->task.resources) return invalid_argument("config " + id + ": no task.resources");
  // Encoded again only for the task hash, which is not stored: a row written by an older
  // encoder still gets the hash today's encoder gives the same spec. The row stays the JSON.
  std::string task_hash = encode_job_version(*spec).task_hash;
  ++encodings_;
  by_id_[id] = make_config(id, std::move(spec).value(), row, std::move(task_hash));
  return Status();
}

ConfigPtr JobVersions::find(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

std::vector<Row> JobVersions::take_new_rows() {
  std::vector<Row> rows = std::move(new_rows_);
  new_rows_.clear();
  return rows;
}

}  // namespace borealis::scheduler
