// Bearer tokens: random secrets that callers send, and the SHA-256 digests that the auth
// file stores instead of them (a leaked auth file does not leak a token).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace borealis::auth {

// A new token: 32 bytes from the kernel's CSPRNG, as 64 lowercase hex digits.
Result<std::string> new_token();

// Lowercase hex SHA-256 of `text`.
std::string sha256_hex(std::string_view text);

// Compares two equal-length digests in time independent of where they differ.
bool digests_equal(std::string_view a, std::string_view b);

// True for 64 lowercase or uppercase hex digits.
bool is_sha256_hex(std::string_view s);

}  // namespace borealis::auth
