#include "agent/outbox.h"

#include "common/log.h"
#include "common/strings.h"

namespace borealis::agent {

namespace {
constexpr char kLog[] = "/log";
constexpr char kAcked[] = "/acked";

std::string update_line(const StatusUpdate& u) { return to_json(update_to_json(u)) + "\n"; }
}  // namespace

Result<std::unique_ptr<Outbox>> Outbox::open(const std::string& dir, OutboxOptions options,
                                             Env& env) {
  BOREALIS_RETURN_IF_ERROR(make_dirs(env, dir));
  std::unique_ptr<Outbox> box(new Outbox(dir, options, env));
  BOREALIS_RETURN_IF_ERROR(box->replay());
  return box;
}

Outbox::~Outbox() = default;

Status Outbox::replay() {
  auto acked = env_.read_file(dir_ + kAcked, 64);
  if (acked.ok() && trim(*acked).empty()) {
    // The pointer is replaced without a sync: after a power cut it can be empty. Losing
    // it only means resending updates the scheduler acknowledges again.
    spdlog::warn("outbox {}{}: empty after a crash; resending what the log holds", dir_, kAcked);
  } else if (acked.ok()) {
    auto v = parse_int64(trim(*acked));
    if (!v || *v < 0) return io_error(dir_ + kAcked + ": expected a sequence number");
    acked_ = *v;
  } else if (acked.status().code() != StatusCode::kNotFound) {
    return acked.status();
  }
  last_seq_ = acked_;

  std::string path = dir_ + kLog;
  auto text = env_.read_file(path, size_t{1} << 31);
  if (!text.ok() && text.status().code() != StatusCode::kNotFound) return text.status();
  std::string data = text.ok() ? std::move(text).value() : std::string();
  size_t end = data.rfind('\n');
  size_t whole = end == std::string::npos ? 0 : end + 1;
  if (whole < data.size())
    spdlog::warn("outbox {}: dropping {} bytes of a line cut off by a crash", path,
                 data.size() - whole);

  size_t pos = 0, lineno = 0;
  while (pos < whole) {
    size_t nl = data.find('\n', pos);
    std::string_view line(data.data() + pos, nl - pos);
    pos = nl + 1;
    ++lineno;
    if (trim(line).empty()) continue;
    ++log_lines_;
    auto v = parse_json(line);
    if (v.ok() && v->is_object() && v->get_object().contains("forget")) {
      const auto& f = v->get_object().at("forget");
      if (f.is_string()) latest_.erase(std::string(f.get_string()));
      continue;
    }
    Result<StatusUpdate> u = v.ok() ? update_from_json(*v) : Result<StatusUpdate>(v.status());
    if (!u.ok()) {
      // Lines are written whole and synced; a bad one means outside damage. Keep going.
      spdlog::warn("outbox {}:{}: skipping a bad line: {}", path, lineno, u.status().message());
      continue;
    }
    if (u->seq <= last_seq_ && u->seq > acked_) {
      spdlog::warn("outbox {}:{}: skipping seq {} out of order", path, lineno, u->seq);
      continue;
    }
    last_seq_ = std::max(last_seq_, u->seq);
    if (u->seq > acked_) unacked_[u->seq] = *u;
    latest_[u->task_id] = std::move(u).value();
  }

  log_size_ = static_cast<int64_t>(whole);
  log_torn_ = whole < data.size();
  return ready_log();
}

Status Outbox::ready_log() {
  if (!log_) {
    BOREALIS_ASSIGN_OR_RETURN(log_, env_.open_writable(dir_ + kLog, Env::WriteMode::kAppend));
  }
  if (log_torn_) {
    BOREALIS_RETURN_IF_ERROR(log_->truncate(static_cast<uint64_t>(log_size_)));
    log_torn_ = false;
  }
  return Status();
}

Status Outbox::write_lines(const std::string& data, bool sync) {
  if (data.empty()) return Status();
  BOREALIS_RETURN_IF_ERROR(ready_log());
  Status st = log_->append(data);
  if (st.ok() && sync) st = log_->sync();
  if (!st.ok()) {
    // Keep the log made of whole lines: drop whatever part of the batch got in (after a
    // failed sync too, as the batch is reported lost and will be appended again).
    log_torn_ = true;
    if (Status cut = ready_log(); !cut.ok())
      spdlog::error("outbox: {} (will retry before the next write)", cut.message());
    return st;
  }
  log_size_ += static_cast<int64_t>(data.size());
  return Status();
}

Status Outbox::append(const std::vector<StatusUpdate>& updates) {
  if (updates.empty()) return Status();
  std::string data;
  int64_t seq = last_seq_;
  for (const auto& u : updates) {
    BOREALIS_CHECK(u.seq > seq, "outbox: update seqs must increase");
    seq = u.seq;
    data += update_line(u);
  }
  BOREALIS_RETURN_IF_ERROR(write_lines(data, /*sync=*/true));
  for (const auto& u : updates) {
    unacked_[u.seq] = u;
    latest_[u.task_id] = u;
  }
  last_seq_ = seq;
  log_lines_ += updates.size();
  return Status();
}

Status Outbox::forget(const std::vector<std::string>& task_ids) {
  // Forgotten in memory even if the line is lost: the next compaction records it.
  std::string data;
  size_t lines = 0;
  for (const auto& id : task_ids) {
    if (latest_.erase(id) == 0) continue;
    data += to_json(json::object{{"forget", id}}) + "\n";
    ++lines;
  }
  BOREALIS_RETURN_IF_ERROR(write_lines(data, /*sync=*/false));
  log_lines_ += lines;
  return Status();
}

Status Outbox::write_acked() {
  return write_file_atomic(env_, dir_ + kAcked, std::to_string(acked_) + "\n", /*sync=*/false);
}

Status Outbox::ack(int64_t seq) {
  seq = std::min(seq, last_seq_);
  if (seq <= acked_) return Status();
  acked_ = seq;
  unacked_.erase(unacked_.begin(), unacked_.upper_bound(seq));
  BOREALIS_RETURN_IF_ERROR(write_acked());
  size_t keep = latest_.size() + unacked_.size();
  if (log_lines_ > options_.compact_min_lines && log_lines_ > 2 * keep) return compact();
  return Status();
}

Status Outbox::compact() {
  std::map<int64_t, const StatusUpdate*> kept;
  for (const auto& [seq, u] : unacked_) kept[seq] = &u;
  for (const auto& [id, u] : latest_) kept[u.seq] = &u;
  std::string data;
  for (const auto& [seq, u] : kept) data += update_line(*u);
  std::string path = dir_ + kLog;
  BOREALIS_RETURN_IF_ERROR(write_file_atomic(env_, path, data, /*sync=*/true));
  // The open descriptor points at the replaced file: ready_log() opens the new one, now
  // or before the next write if this fails.
  log_.reset();
  log_size_ = static_cast<int64_t>(data.size());
  log_torn_ = false;
  spdlog::debug("outbox: compacted {} lines to {}", log_lines_, kept.size());
  log_lines_ = kept.size();
  return ready_log();
}

std::vector<StatusUpdate> Outbox::pending(size_t max) const {
  std::vector<StatusUpdate> out;
  for (auto it = unacked_.begin(); it != unacked_.end() && out.size() < max; ++it)
    out.push_back(it->second);
  return out;
}

}  // namespace borealis::agent
