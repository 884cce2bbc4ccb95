// The JSON bodies of the scheduler's API and agent protocol, decoded as each message that
// travels in one (src/api, src/protocol): requests the scheduler reads and answers the CLI
// and the agent read. Shared by the api_request and http_request targets.
#pragma once

#include <string_view>

#include "common/json.h"

namespace borealis::fuzz {

// Decodes `doc` as every message type; each that decodes must survive encode -> decode
// unchanged (aborts otherwise).
void check_message_round_trips(const json::value& doc);

}  // namespace borealis::fuzz
