// The file a daemon reads its own bearer token from (`borealis agent --token-file FILE`):
// one token, on a file only its owner can read.
//
// Thread-safety: a pure function over the file system.
#pragma once

#include <string>

#include "common/result.h"

namespace borealis::auth {

// The token in `path` (surrounding whitespace dropped). Refused, with the path and the
// fix, when the file is not a regular file owned by this process's user, when group or
// others may read or write it (it must be 0600 or 0400), or when it holds no token.
Result<std::string> read_token_file(const std::string& path);

}  // namespace borealis::auth
