#include "common/task_id.h"

namespace borealis {

std::string make_task_id(const JobKey& key, int32_t instance, std::string_view uuid) {
  std::string instance_text = std::to_string(instance);
  std::string id;
  id.reserve(key.role.size() + key.environment.size() + key.name.size() + instance_text.size() +
             uuid.size() + 4);
  id.append(key.role).append("-").append(key.environment).append("-").append(key.name);
  id.append("-").append(instance_text).append("-").append(uuid);
  return id;
}

Status check_task_ids_fit(const JobKey& key) {
  size_t bytes = key.role.size() + key.environment.size() + key.name.size();
  if (bytes <= kMaxJobKeyPartsBytes) return Status();
  return invalid_argument("role, environment and name have " + std::to_string(bytes) +
                          " bytes together; the limit is " + std::to_string(kMaxJobKeyPartsBytes) +
                          " so that every task id (ROLE-ENVIRONMENT-NAME-INSTANCE-UUID) fits " +
                          std::to_string(kMaxTaskIdBytes) + " bytes, the longest file name");
}

}  // namespace borealis
