// The agent <-> scheduler protocol (docs/internals/agent-protocol.md): register, poll and
// status updates, each request and answer one struct with its codec. The agent encodes
// requests and decodes answers; the scheduler decodes requests and encodes answers.
//
// Requests are decoded strictly (a field the scheduler does not know is refused, so a
// typo is not silently ignored); answers tolerantly (a newer scheduler may add fields),
// but every field the agent uses must have the right type. Errors name the field.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/task_state.h"

namespace borealis::protocol {

// What an agent offers: its resources and the port ranges it hands out. A register
// request is refused past these bounds.
inline constexpr int64_t kMaxHostCpu = 1'000'000;           // cores
inline constexpr int64_t kMaxHostBytes = int64_t{1} << 50;  // ram, disk: 1 PiB
inline constexpr int64_t kMaxHostGpus = 1'000'000;

struct HostResources {
  double cpu = 0;    // cores
  int64_t ram = 0;   // bytes
  int64_t disk = 0;  // bytes
  int64_t gpu = 0;   // sent only when not 0
  bool operator==(const HostResources&) const = default;
};

struct PortRange {
  int lo = 31000;  // inclusive, 1..65535
  int hi = 31999;  // inclusive, lo..65535
  bool operator==(const PortRange&) const = default;
};

// POST /agent/v1/register
struct RegisterRequest {
  std::string agent_id;     // "" the first time
  std::string hostname;     // required
  std::string address;      // the agent's HTTP API, "host:port"
  HostResources resources;  // required: cpu, ram and disk
  std::vector<PortRange> ports;
  std::map<std::string, std::string> attributes;
  std::vector<TaskReport> tasks;
  bool operator==(const RegisterRequest&) const = default;
};
json::object encode(const RegisterRequest& r);

struct RegisterAnswer {
  std::string agent_id;            // required, not empty
  int64_t poll_timeout_ms = 5000;  // not negative
  int64_t agent_timeout_ms = 15000;
  bool operator==(const RegisterAnswer&) const = default;
};
json::object encode(const RegisterAnswer& a);

// POST /agent/v1/poll
struct PollRequest {
  std::string agent_id;  // required
  int64_t acked_command_seq = 0;
  std::optional<std::vector<TaskReport>> tasks;  // nullopt: the poll carries no task list
  bool operator==(const PollRequest&) const = default;
};
json::object encode(const PollRequest& r);

struct LaunchCommand {
  std::string task_id;
  int64_t instance = 0;
  std::string config_id;                 // required; a key of PollAnswer::configs
  std::map<std::string, int64_t> ports;  // name -> port, 1..65535
  bool operator==(const LaunchCommand&) const = default;
};

struct Command {
  int64_t seq = 0;       // required
  std::string type;      // required; "launch", "kill", or one this agent does not know
  LaunchCommand launch;  // type "launch"
  std::string task_id;   // required for both types
  std::string reason;    // type "kill"
  bool operator==(const Command&) const = default;
};

// The answer to a poll: commands past the acked seq, and each job version a launch names.
struct PollAnswer {
  std::vector<Command> commands;
  std::map<std::string, json::value> configs;  // config id -> JobSpec JSON
  bool operator==(const PollAnswer&) const = default;
};
json::object encode(const PollAnswer& a);
// The same body with each config spliced in as the stored JSON text (no re-serialisation
// per poll): `configs` are (id, JobSpec JSON) pairs.
std::string poll_answer_body(const std::vector<Command>& commands,
                             const std::vector<std::pair<std::string, std::string_view>>& configs);

// POST /agent/v1/updates
inline constexpr size_t kMaxDroppedSeqs = 1000;

struct UpdatesRequest {
  std::string agent_id;               // required
  std::vector<StatusUpdate> updates;  // required
  // Seqs the agent dropped because the scheduler refused them (HTTP 4xx), each declared
  // once, with the next request, so a gap in the seqs is never silent. Sent when not empty;
  // at most kMaxDroppedSeqs (the agent keeps the latest).
  std::vector<int64_t> dropped_seqs;
  bool operator==(const UpdatesRequest&) const = default;
};
json::object encode(const UpdatesRequest& r);

// An update the scheduler refused on its own while it applied the rest of the batch.
struct RejectedUpdate {
  int64_t seq = 0;
  std::string error;  // what is wrong, with the field's path
  bool operator==(const RejectedUpdate&) const = default;
};

struct UpdatesAnswer {
  int64_t acked_seq = 0;                 // required
  std::vector<std::string> kill;         // task ids the agent should not be running
  std::vector<RejectedUpdate> rejected;  // acknowledged but not applied; sent when not empty
  bool operator==(const UpdatesAnswer&) const = default;
};
json::object encode(const UpdatesAnswer& a);

// The scheduler's reading of an updates request: an update that does not decode but whose
// `seq` does is set aside in `rejected`, so one bad update does not refuse the others.
// Anything else wrong (no agent_id, an update without a seq) fails the whole request.
struct ReceivedUpdates {
  UpdatesRequest request;
  std::vector<RejectedUpdate> rejected;
};
Result<ReceivedUpdates> decode_received_updates(const json::value& v);

}  // namespace borealis::protocol

namespace borealis::api {
BOREALIS_API_DECODER(protocol::RegisterRequest);
BOREALIS_API_DECODER(protocol::RegisterAnswer);
BOREALIS_API_DECODER(protocol::PollRequest);
BOREALIS_API_DECODER(protocol::PollAnswer);
BOREALIS_API_DECODER(protocol::UpdatesRequest);
BOREALIS_API_DECODER(protocol::UpdatesAnswer);
}  // namespace borealis::api
