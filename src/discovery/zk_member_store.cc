#include "discovery/zk_member_store.h"

namespace borealis::discovery {

Result<std::string> ZkMemberStore::create_member(const Member& member) {
  return session_.create(member.dir + "/" + kMemberPrefix, member.data,
                         zk::NodeKind::kEphemeralSequential);
}

Status ZkMemberStore::remove_member(const std::string& path) {
  Status st = session_.remove(path);
  if (st.code() == StatusCode::kNotFound) return Status();
  return st;
}

Result<bool> ZkMemberStore::owns_member(const std::string& path) {
  int64_t session = session_.session_id();
  auto stat = session_.exists(path);
  if (!stat.ok()) return stat.status();
  return stat->has_value() && (*stat)->ephemeral_owner == session;
}

Result<std::vector<std::string>> ZkMemberStore::owned_members(const Member& member) {
  int64_t session = session_.session_id();
  std::vector<std::string> out;
  auto names = session_.children(member.dir);
  if (!names.ok()) {
    if (names.status().code() == StatusCode::kNotFound) return out;
    return names.status();
  }
  for (const auto& name : *names) {
    if (!name.starts_with(kMemberPrefix)) continue;
    std::string path = member.dir + "/" + name;
    auto node = session_.get(path);
    if (!node.ok() && node.status().code() == StatusCode::kNotFound) continue;  // just went
    if (!node.ok()) return node.status();
    if (node->stat.ephemeral_owner == session && node->data == member.data) out.push_back(path);
  }
  return out;
}

}  // namespace borealis::discovery
