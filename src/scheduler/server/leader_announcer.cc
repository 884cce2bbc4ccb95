#include "scheduler/server/leader_announcer.h"

#include <boost/asio/post.hpp>

#include "common/json.h"
#include "common/log.h"
#include "zk/sequential_node.h"

namespace borealis::scheduler {

namespace asio = boost::asio;

namespace {
constexpr std::string_view kMemberPrefix = "member_";
}  // namespace

LeaderAnnouncer::LeaderAnnouncer(LeaderAnnouncerOptions options)
    : options_(std::move(options)),
      data_(to_json(api::encode(options_.member))),
      work_(io_.get_executor()),
      retry_timer_(io_),
      retry_delay_(options_.first_retry_delay) {}

Result<std::unique_ptr<LeaderAnnouncer>> LeaderAnnouncer::start(LeaderAnnouncerOptions options) {
  std::unique_ptr<LeaderAnnouncer> a(new LeaderAnnouncer(std::move(options)));
  LeaderAnnouncer* self = a.get();
  auto session = zk::Session::start(
      self->options_.session,
      [self](std::function<void()> task) { asio::post(self->io_, std::move(task)); },
      [self](const zk::SessionState& state) { self->on_state(state); });
  if (!session.ok()) return session.status().with_context("--zk");
  self->session_ = std::move(session).value();
  self->worker_ = std::thread([self] { self->io_.run(); });
  spdlog::info("announcing this scheduler in ZooKeeper {} at {} once connected",
               self->options_.session.servers.to_string(), self->options_.serverset_path);
  return a;
}

LeaderAnnouncer::~LeaderAnnouncer() {
  work_.reset();
  io_.stop();  // a create in flight finishes first
  if (worker_.joinable()) worker_.join();
  std::string member = member_path();
  // Deleted explicitly so readers see the change before the listener closes; when the
  // session is down, closing it (or its expiry) deletes the member instead.
  if (!member.empty() && session_ && session_->connected()) {
    Status removed = session_->remove(member);
    if (removed.ok())
      spdlog::info("withdrew this scheduler's ZooKeeper member {}", member);
    else
      spdlog::warn("cannot withdraw ZooKeeper member {}: {}", member, removed.message());
  }
  set_member("");
  session_.reset();
}

std::string LeaderAnnouncer::member_path() const {
  std::lock_guard lock(member_mutex_);
  return member_;
}

std::pair<int64_t, std::string> LeaderAnnouncer::session_credentials() const {
  return session_->session_credentials();
}

void LeaderAnnouncer::set_member(std::string path) {
  std::lock_guard lock(member_mutex_);
  member_ = std::move(path);
}

void LeaderAnnouncer::on_state(const zk::SessionState& state) {
  switch (state.event) {
    case zk::SessionEvent::kConnected:
      if (state.new_session) set_member("");  // the old session's member went with it
      if (member_path().empty()) {
        retry_timer_.cancel();
        retry_delay_ = options_.first_retry_delay;
        join();
      }
      break;
    case zk::SessionEvent::kExpired:
      spdlog::warn(
          "ZooKeeper session expired: this scheduler's member {} is gone until the "
          "new session connects",
          member_path());
      set_member("");
      retry_timer_.cancel();
      break;
    case zk::SessionEvent::kAuthFailed:
      spdlog::error("ZooKeeper refused the --zk-auth credential: this scheduler is not announced");
      break;
    case zk::SessionEvent::kDisconnected:
      spdlog::warn("ZooKeeper connection lost ({}); the member stays while the session lives",
                   options_.session.servers.hosts());
      break;
  }
}

void LeaderAnnouncer::join() {
  Result<std::string> member =
      zk::owned_sequential_child(*session_, options_.serverset_path, kMemberPrefix);
  if (member.ok() && member->empty()) {
    member = session_->create(options_.serverset_path + "/" + std::string(kMemberPrefix), data_,
                              zk::NodeKind::kEphemeralSequential);
  }
  if (!member.ok()) {
    spdlog::warn("cannot announce this scheduler in ZooKeeper: {}; retrying in {} ms",
                 member.status().message(), retry_delay_.count());
    retry_later();
    return;
  }
  spdlog::info("announced this scheduler in ZooKeeper as {} ({})", *member,
               api::endpoint_text(options_.member.service_endpoint));
  set_member(std::move(member).value());
  retry_delay_ = options_.first_retry_delay;
}

void LeaderAnnouncer::retry_later() {
  retry_timer_.expires_after(retry_delay_);
  retry_delay_ = std::min(retry_delay_ * 2, options_.max_retry_delay);
  retry_timer_.async_wait([this](const boost::system::error_code& ec) {
    // Not connected: the next kConnected joins.
    if (!ec && member_path().empty() && session_->connected()) join();
  });
}

}  // namespace borealis::scheduler
