#include "agent/leader_follower.h"

#include <boost/asio/post.hpp>

#include "common/log.h"
#include "discovery/scheduler_leader.h"

namespace borealis::agent {

namespace asio = boost::asio;

LeaderFollower::LeaderFollower(std::string servers, std::string path)
    : servers_(std::move(servers)), path_(std::move(path)), work_(io_.get_executor()) {}

Result<std::unique_ptr<LeaderFollower>> LeaderFollower::start(const AgentConfig& config,
                                                              SchedulerAddress& address) {
  std::unique_ptr<LeaderFollower> f(
      new LeaderFollower(config.zk->to_string(), config.scheduler_zk_path));
  LeaderFollower* self = f.get();
  zk::SessionOptions options;
  options.servers = *config.zk;
  options.credential = config.zk_credential;
  options.session_timeout = config.zk_session_timeout;
  options.max_children = discovery::kMaxSchedulerMembers;
  auto session = zk::Session::start(
      std::move(options),
      [self](std::function<void()> task) { asio::post(self->io_, std::move(task)); },
      [self](const zk::SessionState& state) { self->on_state(state); });
  if (!session.ok()) return session.status().with_context("--zk");
  self->session_ = std::move(session).value();
  // While no scheduler has announced itself yet the watch reads again this often.
  self->watch_ = std::make_unique<discovery::LeaderWatch>(
      self->io_, *self->session_, self->path_, kLeaderLookupInterval,
      [&address](const Result<std::string>& leader) { address.watched(leader); });
  asio::post(self->io_, [self] { self->watch_->start(); });
  self->thread_ = std::thread([self] { self->io_.run(); });
  spdlog::info(
      "following the scheduler leader announced in ZooKeeper {} at {} (one watched session)",
      self->servers_, self->path_);
  return f;
}

LeaderFollower::~LeaderFollower() {
  work_.reset();
  io_.stop();
  if (thread_.joinable()) thread_.join();
  watch_.reset();
  session_.reset();
}

void LeaderFollower::on_state(const zk::SessionState& state) {
  switch (state.event) {
    case zk::SessionEvent::kConnected:
      if (state.new_session)
        spdlog::info("ZooKeeper session {:#x} for following the scheduler leader (session {})",
                     state.session_id, ++sessions_);
      break;
    case zk::SessionEvent::kDisconnected:
      spdlog::warn(
          "ZooKeeper connection lost ({}): the scheduler leader is not watched until it "
          "reconnects; the last one known is still used",
          servers_);
      break;
    case zk::SessionEvent::kExpired:
      spdlog::warn("ZooKeeper session for following the scheduler leader expired; opening another");
      break;
    case zk::SessionEvent::kAuthFailed:
      spdlog::error(
          "ZooKeeper refused the --zk-auth credential: the scheduler leader cannot be read");
      break;
  }
  watch_->on_state(state);
}

Result<std::string> LeaderFollower::read_now() {
  const std::string context = "finding the scheduler in ZooKeeper " + servers_ + " at " + path_;
  if (!session_->connected())
    return unavailable(context + ": not connected to ZooKeeper (still trying)");
  discovery::SessionServersetReader reader(*session_);
  auto url = discovery::leader_url(reader, path_);
  if (!url.ok()) return url.status().with_context(context);
  return url;
}

}  // namespace borealis::agent
