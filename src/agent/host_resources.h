// What an agent offers the scheduler: its resources and the port range it hands out, as
// the agent protocol defines them (src/protocol/messages.h).
#pragma once

#include "protocol/messages.h"

namespace borealis::agent {

using protocol::HostResources;
using protocol::PortRange;

}  // namespace borealis::agent
