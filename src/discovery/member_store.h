// MemberStore: the few ZooKeeper operations the Announcer needs, so its reconciliation is
// tested against a fake and runs against zk::Session (zk_member_store.h) in the agent.
//
// Thread-safety: the Announcer calls it from its worker thread only. Calls are synchronous
// and may take as long as the client waits for a lost connection.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace borealis::discovery {

// One ServerSet member: its ServerSet node and the JSON it holds (api::ServersetMember).
struct Member {
  std::string dir;   // "/aurora/www-data/prod/hello"
  std::string data;  // {"serviceEndpoint": ..., "shard": 0}
  bool operator==(const Member&) const = default;
};

class MemberStore {
 public:
  virtual ~MemberStore() = default;
  // Creates an ephemeral sequential node DIR/member_ holding the data (and DIR's missing
  // parents); returns the created path ("/aurora/r/e/j/member_0000000003").
  virtual Result<std::string> create_member(const Member& member) = 0;
  // Deletes the node; OK when it is already gone.
  virtual Status remove_member(const std::string& path) = 0;
  // True when `path` exists and belongs to the current session (after a new session the
  // Announcer re-creates the members that did not survive).
  virtual Result<bool> owns_member(const std::string& path) = 0;
  // The member nodes under member.dir that the current session owns and that hold
  // member.data (after a create whose answer was lost, the node it may have made).
  virtual Result<std::vector<std::string>> owned_members(const Member& member) = 0;
};

}  // namespace borealis::discovery
