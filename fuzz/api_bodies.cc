#include "api_bodies.h"

#include <typeinfo>

#include "api/cluster.h"
#include "api/jobs.h"
#include "api/updates.h"
#include "fuzz_check.h"
#include "protocol/messages.h"

namespace borealis::fuzz {
namespace {

template <typename T>
void round_trip(const json::value& doc) {
  auto decoded = api::decode<T>(doc);
  if (!decoded.ok()) return;
  json::value encoded = encode(*decoded);
  auto again = api::decode<T>(encoded);
  FUZZ_CHECK(again.ok(), std::string(typeid(T).name()) + ": re-encoded message does not decode: " +
                             again.status().message() + "\n" + to_json(encoded));
  FUZZ_CHECK(*again == *decoded, std::string(typeid(T).name()) +
                                     ": re-encoded message decodes differently:\n" +
                                     to_json(encoded));
}

}  // namespace

void check_message_round_trips(const json::value& doc) {
  // Requests the scheduler decodes.
  round_trip<api::KillRequest>(doc);
  round_trip<api::StartUpdateRequest>(doc);
  round_trip<api::UpdateControlRequest>(doc);
  round_trip<api::RestartRequest>(doc);
  round_trip<api::AddInstancesRequest>(doc);
  round_trip<protocol::RegisterRequest>(doc);
  round_trip<protocol::PollRequest>(doc);
  round_trip<protocol::UpdatesRequest>(doc);
  // Answers the CLI and the agent decode.
  round_trip<api::ClusterInfo>(doc);
  round_trip<api::AgentList>(doc);
  round_trip<api::JobList>(doc);
  round_trip<api::JobDetail>(doc);
  round_trip<api::CreateJobResult>(doc);
  round_trip<api::KillResult>(doc);
  round_trip<api::TaskList>(doc);
  round_trip<api::UpdateList>(doc);
  round_trip<api::UpdateDetail>(doc);
  round_trip<api::UpdateAnswer>(doc);
  round_trip<api::AddInstancesResult>(doc);
  round_trip<protocol::RegisterAnswer>(doc);
  round_trip<protocol::PollAnswer>(doc);
  round_trip<protocol::UpdatesAnswer>(doc);
}

}  // namespace borealis::fuzz
