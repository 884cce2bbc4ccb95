#include "scheduler/server/leader_election.h"

#include <algorithm>
#include <boost/asio/post.hpp>

#include "common/log.h"
#include "zk/sequential_node.h"

namespace borealis::scheduler {

namespace asio = boost::asio;

namespace {

constexpr std::string_view kCandidatePrefix = "candidate_";
// An election directory is tiny: a few schedulers.
constexpr size_t kMaxCandidates = 1000;

std::string base_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

}  // namespace

LeaderElection::LeaderElection(LeaderElectionOptions options, LeaderElectionHooks hooks)
    : options_(std::move(options)),
      hooks_(std::move(hooks)),
      lease_(options_.session.session_timeout / 2),
      work_(io_.get_executor()),
      retry_timer_(io_),
      confirm_timer_(io_) {}

Result<std::unique_ptr<LeaderElection>> LeaderElection::start(LeaderElectionOptions options,
                                                              LeaderElectionHooks hooks) {
  options.session.max_children = std::min(options.session.max_children, kMaxCandidates);
  std::unique_ptr<LeaderElection> e(new LeaderElection(std::move(options), std::move(hooks)));
  LeaderElection* self = e.get();
  auto session = zk::Session::start(
      self->options_.session,
      [self](std::function<void()> task) { asio::post(self->io_, std::move(task)); },
      [self](const zk::SessionState& state) { self->on_state(state); });
  if (!session.ok()) return session.status().with_context("--zk");
  self->session_ = std::move(session).value();
  self->leader_watch_ = std::make_unique<discovery::LeaderWatch>(
      self->io_, *self->session_, self->options_.serverset_path, self->options_.retry_delay,
      [self](const Result<std::string>& leader) { self->leader_read(leader); });
  asio::post(self->io_, [self] { self->leader_watch_->start(); });
  self->worker_ = std::thread([self] { self->io_.run(); });
  spdlog::info("standing for election as the scheduler leader in ZooKeeper {} at {}",
               self->options_.session.servers.to_string(), self->options_.election_path);
  return e;
}

LeaderElection::~LeaderElection() {
  work_.reset();
  io_.stop();
  if (worker_.joinable()) worker_.join();
  session_.reset();  // closing the session deletes the candidate node at once
}

std::optional<std::string> LeaderElection::leader_url() const {
  std::lock_guard lock(mu_);
  return leader_url_;
}

std::string LeaderElection::candidate_path() const {
  std::lock_guard lock(mu_);
  return candidate_;
}

std::pair<int64_t, std::string> LeaderElection::session_credentials() const {
  return session_->session_credentials();
}

void LeaderElection::set_candidate(std::string path) {
  std::lock_guard lock(mu_);
  candidate_ = std::move(path);
}

void LeaderElection::on_state(const zk::SessionState& state) {
  if (lost_) return;
  if (!elected_) {
    leader_watch_->on_state(state);
    // Disconnected, the standby cannot tell who leads; a reconnect reads again.
    if (state.event != zk::SessionEvent::kConnected) leader_read(unavailable("not connected"));
  }
  switch (state.event) {
    case zk::SessionEvent::kConnected:
      if (state.new_session && elected_) {
        lose("its ZooKeeper session expired (a new one started)");
        return;
      }
      if (state.new_session) set_candidate("");
      if (candidate_path().empty()) {
        retry_timer_.cancel();
        join();
      } else {
        check();  // the predecessor may have gone while disconnected
      }
      break;
    case zk::SessionEvent::kExpired:
      if (elected_) {
        lose("its ZooKeeper session expired");
        return;
      }
      spdlog::warn("ZooKeeper session expired: candidate {} is gone until a new session connects",
                   candidate_path());
      set_candidate("");
      break;
    case zk::SessionEvent::kAuthFailed:
      spdlog::error("ZooKeeper refused the --zk-auth credential: this scheduler cannot stand");
      break;
    case zk::SessionEvent::kDisconnected:
      spdlog::warn("ZooKeeper connection lost ({}); {} until the session reconnects or expires",
                   options_.session.servers.hosts(),
                   elected_ ? "store writes wait" : "this standby cannot see the leader");
      break;
  }
}

void LeaderElection::join() {
  // A candidate this session already made (the create's answer lost) is adopted.
  Result<std::string> node =
      zk::owned_sequential_child(*session_, options_.election_path, kCandidatePrefix);
  if (node.ok() && node->empty())
    node = session_->create(options_.election_path + "/" + std::string(kCandidatePrefix),
                            options_.candidate_data, zk::NodeKind::kEphemeralSequential);
  if (!node.ok()) {
    spdlog::warn("cannot stand for election in ZooKeeper: {}; retrying in {} ms",
                 node.status().message(), options_.retry_delay.count());
    retry_later();
    return;
  }
  spdlog::info("candidate for scheduler leader as {}", *node);
  set_candidate(std::move(node).value());
  check();
}

void LeaderElection::check() {
  if (lost_) return;
  const std::string own = candidate_path();
  if (own.empty()) return;
  const auto sent = LeadershipLease::Clock::now();
  auto names = session_->children(options_.election_path);
  if (!names.ok()) {
    spdlog::warn("cannot read the election at {}: {}; retrying in {} ms", options_.election_path,
                 names.status().message(), options_.retry_delay.count());
    retry_later();
    return;
  }
  std::vector<std::pair<int64_t, std::string>> candidates;
  for (const std::string& name : *names)
    if (auto sequence = zk::sequence_number(name, kCandidatePrefix))
      candidates.emplace_back(*sequence, name);
  std::sort(candidates.begin(), candidates.end());
  auto mine = std::find_if(candidates.begin(), candidates.end(),
                           [&](const auto& c) { return c.second == base_name(own); });
  if (mine == candidates.end()) {
    if (elected_) return lose("its candidate node " + own + " was deleted");
    spdlog::warn("candidate node {} is gone; standing again", own);
    set_candidate("");
    join();
    return;
  }
  if (mine == candidates.begin()) {
    lease_.confirm(sent);
    win();
    return;
  }
  watch_predecessor(options_.election_path + "/" + std::prev(mine)->second);
}

void LeaderElection::watch_predecessor(const std::string& node) {
  const uint64_t round = ++watch_round_;
  auto watched = session_->watch_data(node, [this, round](const zk::WatchEvent& event) {
    // Runs on the worker. An expired session's watches end in on_state's rejoin.
    if (event.kind == zk::WatchEvent::Kind::kSessionLost || round != watch_round_) return;
    check();
  });
  if (watched.ok()) {
    spdlog::info("standby: waiting for {} to go (it stands before {})", node, candidate_path());
    return;
  }
  if (watched.status().code() == StatusCode::kNotFound) {
    asio::post(io_, [this] { check(); });  // gone between the two reads
    return;
  }
  spdlog::warn("cannot watch {}: {}; retrying in {} ms", node, watched.status().message(),
               options_.retry_delay.count());
  retry_later();
}

void LeaderElection::win() {
  if (elected_) return;
  elected_ = true;
  leader_watch_->stop();
  {
    std::lock_guard lock(mu_);
    leader_url_.reset();
  }
  spdlog::info("elected scheduler leader as {}", candidate_path());
  confirm_later();
  hooks_.elected();
}

void LeaderElection::lose(const std::string& why) {
  if (lost_) return;
  lost_ = true;
  lease_.lose(why);
  confirm_timer_.cancel();
  spdlog::error("this scheduler lost its leadership: {}", why);
  hooks_.lost(why);
}

void LeaderElection::confirm_later() {
  confirm_timer_.expires_after(options_.session.session_timeout / 4);
  confirm_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || lost_) return;
    const std::string own = candidate_path();
    const auto sent = LeadershipLease::Clock::now();
    auto stat = session_->exists(own);
    if (stat.ok() && !*stat) return lose("its candidate node " + own + " was deleted");
    if (stat.ok())
      lease_.confirm(sent);
    else
      spdlog::warn("cannot confirm leadership with ZooKeeper: {}", stat.status().message());
    confirm_later();
  });
}

void LeaderElection::leader_read(const Result<std::string>& leader) {
  if (elected_ || lost_) return;
  std::optional<std::string> url;
  if (leader.ok()) url = *leader;
  std::lock_guard lock(mu_);
  if (url != leader_url_)
    spdlog::info("standby: the leader is {}", url ? *url : std::string("unknown"));
  leader_url_ = std::move(url);
}

void LeaderElection::retry_later() {
  retry_timer_.expires_after(options_.retry_delay);
  retry_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || lost_ || !session_->connected()) return;  // not connected: kConnected rejoins
    if (candidate_path().empty())
      join();
    else
      check();
  });
}

}  // namespace borealis::scheduler
