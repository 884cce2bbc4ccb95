// The task states the agent reports to the scheduler, and one status update as it is
// logged in the outbox and posted to /agent/v1/updates: the protocol's definitions
// (src/protocol/task_state.h) plus the agent's rules for moving between states.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include "common/json.h"
#include "protocol/task_state.h"

namespace borealis::agent {

using protocol::parse_task_state;
using protocol::StatusUpdate;
using protocol::task_state_name;
using protocol::TaskReport;
using protocol::TaskState;

bool is_terminal(TaskState s);
// States only move forward: STARTING (1) < RUNNING (2) < any terminal state (3). The
// agent never reports a state whose rank is not above the last one it reported.
int state_rank(TaskState s);

// The outbox's line format is the protocol's.
inline json::object update_to_json(const StatusUpdate& u) { return protocol::encode(u); }
// Strict: every field must have the right type; `seq`, `task_id` and `state` are required.
inline Result<StatusUpdate> update_from_json(const json::value& v) {
  return api::decode<StatusUpdate>(v);
}

}  // namespace borealis::agent
