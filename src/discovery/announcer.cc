#include "discovery/announcer.h"

#include <algorithm>

#include "common/log.h"

namespace borealis::discovery {

bool Announcer::needs_work(const Entry& e) {
  std::optional<Member> have;
  if (e.have) have = e.have->member;
  return e.want != have || e.uncertain;
}

Announcer::Announcer(MemberStore& store, AnnouncerOptions options)
    : store_(store), options_(options), worker_([this] { run(); }) {}

Announcer::~Announcer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

void Announcer::join(const std::string& key, Member member) {
  {
    std::lock_guard lock(mu_);
    Entry& e = entries_[key];
    e.want = std::move(member);
    e.not_before = {};  // a new wish is tried at once
  }
  changed_.notify_all();
}

void Announcer::leave(const std::string& key, std::function<void()> done) {
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      Entry& e = it->second;
      e.want.reset();
      e.not_before = {};
      // A create in flight for this key ends in a member that must go too.
      if (e.have || e.uncertain || in_flight_ == key) {
        if (done) e.on_gone.push_back(std::move(done));
        done = nullptr;
      }
    }
  }
  changed_.notify_all();
  if (done) done();
}

void Announcer::session_started() {
  {
    std::lock_guard lock(mu_);
    resync_ = true;
  }
  changed_.notify_all();
}

AnnouncerStats Announcer::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

bool Announcer::busy_locked() const {
  if (!in_flight_.empty() || resync_) return true;
  for (const auto& [key, e] : entries_) {
    if (needs_work(e) || !e.on_gone.empty()) return true;
  }
  return false;
}

bool Announcer::wait_idle(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [this] { return !busy_locked(); });
}

void Announcer::run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (resync_) {
      resync_ = false;
      verify_members(lock);
      changed_.notify_all();
      continue;
    }
    Clock::time_point wake = Clock::time_point::max();
    auto key = next_due_locked(Clock::now(), &wake);
    if (!key) {
      if (wake == Clock::time_point::max())
        changed_.wait(lock);
      else
        changed_.wait_until(lock, wake);
      continue;
    }
    reconcile(lock, *key);
    changed_.notify_all();
  }
}

std::optional<std::string> Announcer::next_due_locked(Clock::time_point now,
                                                      Clock::time_point* wake) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    Entry& e = it->second;
    if (!needs_work(e)) {
      if (!e.want && !e.have && e.on_gone.empty()) {
        it = entries_.erase(it);  // nothing wanted, nothing announced
        continue;
      }
    } else if (e.not_before <= now) {
      return it->first;
    } else {
      *wake = std::min(*wake, e.not_before);
    }
    ++it;
  }
  return std::nullopt;
}

void Announcer::reconcile(std::unique_lock<std::mutex>& lock, const std::string& key) {
  const Entry& before = entries_.at(key);
  // Changed or unwanted: remove first. Then clear up after a create whose answer was lost.
  const bool remove = before.have && before.want != before.have->member;
  const bool sweep = !remove && before.uncertain.has_value();
  Member member = remove ? before.have->member : sweep ? *before.uncertain : *before.want;
  std::string path = remove ? before.have->path : "";
  const std::string keep = before.have ? before.have->path : "";
  const bool adopt = sweep && !before.have && before.want == member;
  in_flight_ = key;
  lock.unlock();
  Status status;
  if (remove) {
    status = store_.remove_member(path);
  } else if (sweep) {
    status = sweep_orphans(member, keep, adopt, &path);
  } else if (auto created = store_.create_member(member); created.ok()) {
    path = *created;
  } else {
    status = created.status();
  }
  lock.lock();
  in_flight_.clear();
  Entry& e = entries_.at(key);  // only this thread erases entries
  if (!status.ok()) {
    // A create that lost its answer may have made the node: look for it before retrying.
    if (!remove && !sweep && status.code() == StatusCode::kUnavailable) e.uncertain = member;
    failed_locked(e, remove ? "withdrawing " + path : "announcing in " + member.dir, status);
    // A kill does not wait for a second try, nor for a create that was refused.
    if (remove || sweep || !needs_work(e)) settle_locked(lock, key);
    return;
  }
  e.backoff = std::chrono::milliseconds(0);
  if (remove) {
    spdlog::info("announcer: {} left the serverset ({})", key, path);
    e.have.reset();
    ++stats_.removes;
    --stats_.members;
    settle_locked(lock, key);
    return;
  }
  if (sweep) e.uncertain.reset();
  if (path.empty()) {
    settle_locked(lock, key);
    return;
  }
  spdlog::info("announcer: {} joined the serverset as {}", key, path);
  e.have = Announced{std::move(member), std::move(path)};
  ++stats_.creates;
  ++stats_.members;
}

Status Announcer::sweep_orphans(const Member& member, const std::string& keep, bool adopt,
                                std::string* adopted) {
  auto found = store_.owned_members(member);
  if (!found.ok()) return found.status();
  for (const auto& path : *found) {
    if (path == keep) continue;
    if (adopt && adopted->empty()) {
      *adopted = path;  // the lost create did succeed: that node is the member
      continue;
    }
    spdlog::info("announcer: removing {}, made by a create whose answer was lost", path);
    BOREALIS_RETURN_IF_ERROR(store_.remove_member(path));
  }
  return Status();
}

void Announcer::verify_members(std::unique_lock<std::mutex>& lock) {
  std::vector<std::pair<std::string, std::string>> announced;
  for (const auto& [key, e] : entries_)
    if (e.have) announced.emplace_back(key, e.have->path);
  for (const auto& [key, path] : announced) {
    lock.unlock();
    // Only a create that raced the new session's start can have survived; a member whose
    // check fails is made again rather than left out.
    Result<bool> owned = store_.owns_member(path);
    lock.lock();
    auto it = entries_.find(key);
    if (it == entries_.end() || !it->second.have || it->second.have->path != path) continue;
    if (owned.ok() && *owned) continue;
    if (!owned.ok())
      spdlog::warn("announcer: checking {} after a new session: {}", path,
                   owned.status().message());
    spdlog::info("announcer: {} went with the old ZooKeeper session; announcing {} again", path,
                 key);
    it->second.have.reset();
    it->second.not_before = {};
    --stats_.members;
  }
}

void Announcer::failed_locked(Entry& e, const std::string& what, const Status& st) {
  ++stats_.failures;
  bool first = e.backoff.count() == 0;
  e.backoff = first ? options_.retry_min : std::min(e.backoff * 2, options_.retry_max);
  e.not_before = Clock::now() + e.backoff;
  // Once per streak: a ZooKeeper that stays down must not flood the log.
  if (first) spdlog::warn("announcer: {}: {} (retrying)", what, st.message());
}

void Announcer::settle_locked(std::unique_lock<std::mutex>& lock, const std::string& key) {
  std::vector<std::function<void()>> callbacks;
  callbacks.swap(entries_.at(key).on_gone);
  if (callbacks.empty()) return;
  lock.unlock();
  for (auto& f : callbacks) f();
  lock.lock();
}

}  // namespace borealis::discovery
