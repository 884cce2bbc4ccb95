#include "sim/double_active.h"

#include <map>

namespace borealis::sim {

std::string instance_of(const std::string& task_id) {
  constexpr int kUuidGroups = 5;
  size_t end = task_id.size();
  for (int i = 0; i < kUuidGroups; ++i) {
    if (end == 0) return task_id;
    end = task_id.rfind('-', end - 1);
    if (end == std::string::npos) return task_id;
  }
  return task_id.substr(0, end);
}

std::vector<std::string> instances_active_twice(const std::vector<std::string>& task_ids) {
  std::map<std::string, int> count;
  for (const auto& id : task_ids) ++count[instance_of(id)];
  std::vector<std::string> twice;
  for (const auto& [instance, n] : count)
    if (n > 1) twice.push_back(instance);
  return twice;
}

}  // namespace borealis::sim
