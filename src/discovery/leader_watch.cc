#include "discovery/leader_watch.h"

#include "discovery/scheduler_leader.h"

namespace borealis::discovery {

namespace {

// Reads as SessionServersetReader does, and arms a child watch with its children read
// when given a callback.
class ArmingReader final : public SessionServersetReader {
 public:
  ArmingReader(zk::Session& session, zk::WatchCallback on_change)
      : SessionServersetReader(session), session_(session), on_change_(std::move(on_change)) {}

  Result<std::vector<std::string>> children(const std::string& path) override {
    if (!on_change_) return SessionServersetReader::children(path);
    auto names = session_.watch_children(path, on_change_);
    // Over the bounds the server did set the watch (session.h).
    armed_ = names.ok() || names.status().code() == StatusCode::kResourceExhausted;
    return names;
  }
  bool armed() const { return armed_; }

 private:
  zk::Session& session_;
  zk::WatchCallback on_change_;
  bool armed_ = false;
};

}  // namespace

LeaderWatch::LeaderWatch(boost::asio::io_context& io, zk::Session& session, std::string path,
                         std::chrono::milliseconds retry_delay, OnRead on_read)
    : io_(io),
      session_(session),
      path_(std::move(path)),
      retry_delay_(retry_delay),
      on_read_(std::move(on_read)),
      retry_timer_(io) {}

void LeaderWatch::start() { read(); }

void LeaderWatch::stop() {
  stopped_ = true;
  retry_timer_.cancel();
}

void LeaderWatch::on_state(const zk::SessionState& state) {
  if (stopped_) return;
  switch (state.event) {
    case zk::SessionEvent::kConnected:
      if (state.new_session) {
        armed_ = false;  // the old session's watches are gone
        ++watch_round_;
      }
      read();
      break;
    case zk::SessionEvent::kExpired:
      armed_ = false;
      ++watch_round_;
      break;
    case zk::SessionEvent::kDisconnected:
    case zk::SessionEvent::kAuthFailed:
      break;  // a reconnect reads again; a refused credential never connects
  }
}

void LeaderWatch::read() {
  if (stopped_ || !session_.connected()) return;  // kConnected reads
  zk::WatchCallback on_change;
  if (!armed_) {
    on_change = [this, round = ++watch_round_](const zk::WatchEvent& event) {
      if (stopped_ || round != watch_round_) return;  // superseded
      armed_ = false;
      // A lost session's watch: the new session's kConnected reads.
      if (event.kind != zk::WatchEvent::Kind::kSessionLost) read();
    };
  }
  ArmingReader reader(session_, std::move(on_change));
  ++reads_;
  Result<std::string> leader = leader_url(reader, path_);
  if (reader.armed()) armed_ = true;
  // Without a watch (no such path yet, a failed read) or with a member unread, nothing
  // would tell us of a change: read again later.
  if (!armed_ || (!leader.ok() && leader.status().code() == StatusCode::kUnavailable))
    retry_later();
  on_read_(leader);
}

void LeaderWatch::retry_later() {
  if (retry_pending_) return;
  retry_pending_ = true;
  retry_timer_.expires_after(retry_delay_);
  retry_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    retry_pending_ = false;
    read();
  });
}

}  // namespace borealis::discovery
