#include "agent/agent_announcer.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cstdio>

#include "agent/file_util.h"
#include "common/log.h"

namespace borealis::agent {

namespace {

std::string hex(const std::string& bytes) {
  std::string out;
  char buf[3];
  for (unsigned char c : bytes) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    out += buf;
  }
  return out;
}

// Written whole, then renamed: readers never see half a file or another mode.
Status write_private_file(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return io_error("cannot write " + tmp + ": " + errno_text(errno));
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  int err = errno;
  ::close(fd);
  if (!ok) return io_error("cannot write " + tmp + ": " + errno_text(err));
  if (::rename(tmp.c_str(), path.c_str()) != 0)
    return io_error("cannot rename " + tmp + " to " + path + ": " + errno_text(errno));
  return Status();
}

}  // namespace

Result<std::unique_ptr<AgentAnnouncer>> AgentAnnouncer::start(const AgentConfig& config,
                                                              boost::asio::io_context& io) {
  std::unique_ptr<AgentAnnouncer> a(new AgentAnnouncer(config.work_dir + "/" + kZkSessionFile));
  zk::SessionOptions options;
  options.servers = *config.zk;
  options.session_timeout = config.zk_session_timeout;
  options.credential = config.zk_credential;
  AgentAnnouncer* self = a.get();
  auto session = zk::Session::start(
      std::move(options), [&io](std::function<void()> f) { boost::asio::post(io, std::move(f)); },
      [self](const zk::SessionState& s) { self->on_state(s); });
  if (!session.ok()) return session.status();
  a->session_ = std::move(session).value();
  a->store_ = std::make_unique<discovery::ZkMemberStore>(*a->session_);
  a->announcer_ = std::make_unique<discovery::Announcer>(*a->store_);
  spdlog::info("announcing ServerSet members in ZooKeeper {}{}", config.zk->to_string(),
               config.zk_credential ? " (digest auth)" : "");
  return a;
}

AgentAnnouncer::~AgentAnnouncer() {
  announcer_.reset();
  store_.reset();
  session_.reset();
}

void AgentAnnouncer::on_state(const zk::SessionState& state) {
  if (state.event == zk::SessionEvent::kAuthFailed) {
    spdlog::error("zookeeper refused the --zk-auth credential: nothing can be announced");
    return;
  }
  if (state.event != zk::SessionEvent::kConnected) {
    spdlog::warn("zookeeper session 0x{:x}: {}", state.session_id,
                 zk::session_event_name(state.event));
    return;
  }
  if (!state.new_session) {
    spdlog::info("zookeeper session 0x{:x}: reconnected", state.session_id);
    return;
  }
  spdlog::info("zookeeper session 0x{:x}: new session, announcing every member", state.session_id);
  if (!announcer_) return;  // still starting: nothing announced yet
  announcer_->session_started();
  auto [id, password] = session_->session_credentials();
  std::string text =
      "{\"session_id\": " + std::to_string(id) + ", \"password\": \"" + hex(password) + "\"}\n";
  if (Status st = write_private_file(session_file_, text); !st.ok())
    spdlog::warn("zookeeper session: {}", st.message());
}

}  // namespace borealis::agent
