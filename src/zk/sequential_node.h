// Ephemeral sequential nodes ("member_0000000012", "candidate_0000000003"): their sequence
// numbers, and finding the one a session already owns (a create whose answer was lost with
// the connection may have made the node anyway: it is adopted rather than doubled).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "zk/session.h"

namespace borealis::zk {

// The sequence of "PREFIX0000000012" (digits only after the prefix), or nullopt.
std::optional<int64_t> sequence_number(std::string_view name, std::string_view prefix);

// The path of the child of `dir` named PREFIX+digits that the session owns (its
// ephemeral_owner), or "" when there is none or `dir` does not exist.
Result<std::string> owned_sequential_child(Session& session, const std::string& dir,
                                           std::string_view prefix);

}  // namespace borealis::zk
