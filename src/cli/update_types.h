// Rolling updates as the scheduler's API describes them (docs/api.md, "Updates"), as
// src/api defines them. Like api_types.h: tolerant of fields this client does not know,
// and the answers keep the JSON as received (`raw`) for `--output json`.
#pragma once

#include <string>

#include "api/updates.h"
#include "cli/api_types.h"

namespace borealis::cli {

using UpdateSummary = api::UpdateSummary;
using UpdateStepInfo = api::UpdateStep;
using UpdateEventInfo = api::UpdateEvent;
using UpdateDetail = Received<api::UpdateDetail>;
using UpdateList = Received<api::UpdateList>;
using AddInstancesResult = Received<api::AddInstancesResult>;
using RestartRequest = api::RestartRequest;

// What start, control and restart answer: the update, or `noop` when the scheduler
// started nothing because the job already runs this configuration (Aurora's no-op update;
// only noop_message and raw are meaningful then).
struct UpdateAnswer : UpdateSummary {
  json::value raw;
  bool noop = false;
  std::string noop_message;
};

using api::is_update_ended;
using api::update_status_names;

}  // namespace borealis::cli
