// The agent's side of the agent <-> scheduler protocol (docs/internals/agent-protocol.md):
// building the request bodies and reading the answers. Answers are read leniently (a
// newer scheduler may add fields) but the fields the agent uses must have the right type;
// errors name the field.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "agent/host_resources.h"
#include "agent/task_state.h"
#include "common/json.h"

namespace borealis::agent {

struct RegisterRequest {
  std::string agent_id;  // "" the first time
  std::string hostname;
  std::string address;  // the agent's HTTP API, "host:port"
  HostResources resources;
  std::vector<PortRange> ports;
  std::map<std::string, std::string> attributes;
  std::vector<TaskReport> tasks;
};
std::string register_request_json(const RegisterRequest& r);

struct RegisterAnswer {
  std::string agent_id;
  int64_t poll_timeout_ms = 5000;
  int64_t agent_timeout_ms = 15000;
};
Result<RegisterAnswer> parse_register_answer(std::string_view body);

// `tasks` null: the poll carries no task list.
std::string poll_request_json(const std::string& agent_id, int64_t acked_command_seq,
                              const std::vector<TaskReport>* tasks);

struct LaunchCommand {
  std::string task_id;
  int64_t instance = 0;
  std::string config_id;
  std::map<std::string, int64_t> ports;
};

struct Command {
  int64_t seq = 0;
  std::string type;      // "launch", "kill", or one this agent does not know
  LaunchCommand launch;  // type "launch"
  std::string task_id;   // both types
  std::string reason;    // type "kill"
};

struct PollAnswer {
  std::vector<Command> commands;
  std::map<std::string, json::value> configs;  // config id -> JobSpec JSON
};
Result<PollAnswer> parse_poll_answer(std::string_view body);

std::string updates_request_json(const std::string& agent_id,
                                 const std::vector<StatusUpdate>& updates);

struct UpdatesAnswer {
  int64_t acked_seq = 0;
  std::vector<std::string> kill;
};
Result<UpdatesAnswer> parse_updates_answer(std::string_view body);

// The `error.code` of an error body, or "" when the body is not one.
std::string error_code(std::string_view body);

}  // namespace borealis::agent
