// The agent's side of the agent <-> scheduler protocol (docs/internals/agent-protocol.md):
// the messages as src/protocol defines them, under the agent's names. The agent encodes
// requests with protocol::encode and reads answers with api::decode<T>.
#pragma once

#include "agent/host_resources.h"
#include "agent/task_state.h"
#include "protocol/messages.h"

namespace borealis::agent {

using protocol::Command;
using protocol::LaunchCommand;
using protocol::PollAnswer;
using protocol::PollRequest;
using protocol::RegisterAnswer;
using protocol::RegisterRequest;
using protocol::UpdatesAnswer;
using protocol::UpdatesRequest;

}  // namespace borealis::agent
