// The ZooKeeper digest credential a daemon reads from `--zk-auth FILE` (the agent's
// announcer, the scheduler's leader announcement, `borealis router`): one line
// `user:password`, on a file only its owner can read, as its token file.
#pragma once

#include <string>

#include "common/result.h"
#include "zk/connect_string.h"

namespace borealis::auth {

// Refused, naming the file and never echoing the password, when the file fails
// read_token_file's checks (owner, mode 0600/0400, not empty) or is not `user:password`.
Result<zk::DigestCredential> read_zk_credential_file(const std::string& path);

}  // namespace borealis::auth
