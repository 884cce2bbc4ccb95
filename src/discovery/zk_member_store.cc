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

}  // namespace borealis::discovery
