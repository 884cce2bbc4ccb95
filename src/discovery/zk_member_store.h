// ZkMemberStore: MemberStore over a zk::Session (ephemeral sequential `member_` nodes, with
// the Session's ACL: open, or creator-all + world-read under --zk-auth).
#pragma once

#include "discovery/member_store.h"
#include "zk/session.h"

namespace borealis::discovery {

inline constexpr const char* kMemberPrefix = "member_";

class ZkMemberStore final : public MemberStore {
 public:
  // `session` must outlive the store.
  explicit ZkMemberStore(zk::Session& session) : session_(session) {}

  Result<std::string> create_member(const Member& member) override;
  Status remove_member(const std::string& path) override;
  Result<bool> owns_member(const std::string& path) override;
  Result<std::vector<std::string>> owned_members(const Member& member) override;

 private:
  zk::Session& session_;
};

}  // namespace borealis::discovery
