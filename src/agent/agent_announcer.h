// AgentAnnouncer: the agent's ZooKeeper session (--zk, --zk-auth) and the ServerSet
// Announcer over it (docs/discovery.md). Each new session (the first, and the one after
// an expiry) re-announces every member, and its id and password are written to
// <work dir>/zk-session (mode 0600, JSON {"session_id": N, "password": "HEX"}) so an
// operator or a test can find, or expire, the agent's session.
//
// Threads: the Session reports its states on the agent's loop (posted to `io`); the
// Announcer works on its own thread. Destroying this closes the session, which deletes
// every member at once.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "agent/agent_config.h"
#include "discovery/announcer.h"
#include "discovery/zk_member_store.h"
#include "zk/session.h"

namespace borealis::agent {

inline constexpr const char* kZkSessionFile = "zk-session";

class AgentAnnouncer {
 public:
  // Starts connecting and never waits for ZooKeeper: one that is down delays only the
  // announcements. `config.zk` must be set; `io` must outlive this.
  static Result<std::unique_ptr<AgentAnnouncer>> start(const AgentConfig& config,
                                                       boost::asio::io_context& io);
  ~AgentAnnouncer();

  discovery::Announcer& announcer() { return *announcer_; }

 private:
  explicit AgentAnnouncer(std::string session_file) : session_file_(std::move(session_file)) {}
  void on_state(const zk::SessionState& state);  // on the agent's loop

  std::string session_file_;
  std::unique_ptr<zk::Session> session_;
  std::unique_ptr<discovery::ZkMemberStore> store_;
  std::unique_ptr<discovery::Announcer> announcer_;
};

}  // namespace borealis::agent
