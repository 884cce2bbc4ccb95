// Task ids: "ROLE-ENVIRONMENT-NAME-INSTANCE-UUID". The agent names a task's sandbox
// directory after its id, so every id must fit one file-name component (255 bytes). The
// limit is checked on the job key when a job is created, so no task the scheduler makes
// can be one that no agent is able to launch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/job_key.h"
#include "common/status.h"

namespace borealis {

// The longest task id: NAME_MAX, one path component.
inline constexpr size_t kMaxTaskIdBytes = 255;
// What a task id adds to the job key: four '-', the instance (at most 10 digits: int32)
// and a 36-character UUID.
inline constexpr size_t kTaskIdOverheadBytes = 4 + 10 + 36;
// The most role, environment and name may have together.
inline constexpr size_t kMaxJobKeyPartsBytes = kMaxTaskIdBytes - kTaskIdOverheadBytes;

std::string make_task_id(const JobKey& key, int32_t instance, std::string_view uuid);

// INVALID_ARGUMENT when the ids of this job's tasks could be longer than kMaxTaskIdBytes.
Status check_task_ids_fit(const JobKey& key);

}  // namespace borealis
