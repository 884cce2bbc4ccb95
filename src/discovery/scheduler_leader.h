// Finding the scheduler leader's URL among the schedulers' ServerSet members in ZooKeeper
// (api/serverset.h JSON under --scheduler-zk-path). Only the elected leader is a member
// there (scheduler/server/leader_election.h); should two be (a leader that has not yet
// withdrawn), the ALIVE member with the lowest sequence number wins. Used by the CLI
// (cli/scheduler_locator.h, one session per command) and by LeaderWatch (leader_watch.h),
// through which agents and standby schedulers follow the leader on one long-lived session.
//
// Thread-safety: functions over their arguments; locate_scheduler_leader opens its own
// session.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "zk/session.h"

namespace borealis::discovery {

// Members read before giving up on finding an ALIVE one; a ServerSet of schedulers is tiny.
inline constexpr size_t kMaxSchedulerMembersRead = 64;
// A ServerSet of schedulers is tiny: more children than this is not one.
inline constexpr size_t kMaxSchedulerMembers = 1000;

// The two reads the locator makes of ZooKeeper (a fake in unit tests).
class ServersetReader {
 public:
  virtual ~ServersetReader() = default;
  // Child names of `path`, NOT_FOUND when it does not exist.
  virtual Result<std::vector<std::string>> children(const std::string& path) = 0;
  virtual Result<std::string> data(const std::string& path) = 0;
};

// zk::Session as a ServersetReader.
class SessionServersetReader : public ServersetReader {
 public:
  explicit SessionServersetReader(zk::Session& session) : session_(session) {}
  Result<std::vector<std::string>> children(const std::string& path) override;
  Result<std::string> data(const std::string& path) override;

 private:
  zk::Session& session_;
};

// The leader's URL among the members at `path`: "https://HOST:PORT" when the member has an
// "https" endpoint, else "http://" with its "http" endpoint or its serviceEndpoint. Errors
// (the caller names `path`): no members (NOT_FOUND), no ALIVE member, a member that is not
// a ServerSet member's JSON (naming it).
Result<std::string> leader_url(ServersetReader& zk, const std::string& path);

// Connects to `servers` (giving up after `timeout`) and reads the leader's URL at `path`.
// Errors name the servers and the path.
Result<std::string> locate_scheduler_leader(const zk::ConnectString& servers,
                                            const std::optional<zk::DigestCredential>& credential,
                                            const std::string& path,
                                            std::chrono::milliseconds timeout);

}  // namespace borealis::discovery
