#include "cli/log_tail.h"

#include <algorithm>

#include "common/strings.h"

namespace borealis::cli {

namespace {

bool refused(const Status& st) {
  return st.code() == StatusCode::kUnauthenticated || st.code() == StatusCode::kPermissionDenied;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::string instance_prefix(int32_t instance, bool colour) {
  std::string tag = "[" + std::to_string(instance) + "]";
  if (!colour) return tag + " ";
  return "\033[3" + std::to_string(1 + instance % 6) + "m" + tag + "\033[0m ";
}

JobTail::JobTail(TailSource& source, TailSettings settings, std::ostream& out, std::ostream& err)
    : source_(source), settings_(std::move(settings)), out_(out), err_(err) {}

std::string JobTail::task_of(int32_t instance) const {
  auto it = follows_.find(instance);
  return it == follows_.end() ? "" : it->second->target.task_id;
}

void JobTail::note(int32_t instance, const std::string& message) {
  out_.flush();
  err_ << "instance " << instance << ": " << message << "\n";
  err_.flush();
}

void JobTail::print(int32_t instance, const std::vector<std::string>& lines) {
  std::string prefix = instance_prefix(instance, settings_.colour);
  for (const std::string& line : lines) out_ << prefix << line << "\n";
}

Status JobTail::report(Follow& f, const Status& st) {
  if (refused(st)) return st;
  if (st.message() != f.last_error) note(f.target.instance, st.message());
  f.last_error = st.message();
  return Status();
}

Result<std::optional<LogFileInfo>> JobTail::locate(Follow& f) {
  using Found = std::optional<LogFileInfo>;
  if (f.target.agent_address.empty()) return Found();
  if (f.process.empty()) {
    BOREALIS_ASSIGN_OR_RETURN(f.process, choose_process(f));
    if (f.process.empty()) return Found();
  }
  auto info = source_.locate(f.target, f.process, settings_.stream);
  if (!info.ok() && info.status().code() == StatusCode::kNotFound) return Found();
  if (!info.ok()) return info.status();
  return Found(*info);
}

Result<int64_t> JobTail::read_new(Follow& f) {
  BOREALIS_ASSIGN_OR_RETURN(std::string data, source_.read(f.target, f.process, settings_.stream,
                                                           f.run, f.offset, settings_.read_bytes));
  f.offset += static_cast<int64_t>(data.size());
  print(f.target.instance, f.cutter.feed(data));
  return static_cast<int64_t>(data.size());
}

Status JobTail::show_last_lines(Follow& f, const LogFileInfo& info) {
  // One byte before the window too: when it is a newline, the window starts a line.
  int64_t start = std::max<int64_t>(0, info.size - settings_.window_bytes - 1);
  BOREALIS_ASSIGN_OR_RETURN(std::string data, source_.read(f.target, f.process, settings_.stream,
                                                           info.run, start, info.size - start));
  f.offset = start + static_cast<int64_t>(data.size());
  std::string_view shown = data;
  if (start > 0) {  // skip the end of the line the window began in
    size_t nl = shown.find('\n');
    shown = nl == std::string_view::npos ? std::string_view() : shown.substr(nl + 1);
  }
  print(f.target.instance, last_lines(f.cutter.feed(shown), settings_.lines));
  return Status();
}

// Starts reading a located file: from its last lines for an instance followed since the
// start, from its beginning for a new task or a new run.
Status JobTail::begin(Follow& f, const LogFileInfo& info) {
  f.run = info.run;
  f.offset = 0;
  f.cutter.reset();
  if (!f.from_last_lines) return Status();
  f.from_last_lines = false;
  return show_last_lines(f, info);
}

Status JobTail::refresh() {
  BOREALIS_ASSIGN_OR_RETURN(std::vector<TailTarget> targets, source_.targets());
  std::map<int32_t, TailTarget> by_instance;
  for (TailTarget& t : targets) by_instance[t.instance] = std::move(t);

  for (auto it = follows_.begin(); it != follows_.end();) {
    if (by_instance.count(it->first)) {
      ++it;
      continue;
    }
    BOREALIS_RETURN_IF_ERROR(drain(*it->second));
    note(it->first, "task " + it->second->target.task_id + " ended; no active task");
    it = follows_.erase(it);
  }
  for (auto& [instance, target] : by_instance) {
    auto& slot = follows_[instance];
    if (slot && slot->target.task_id != target.task_id) {
      BOREALIS_RETURN_IF_ERROR(drain(*slot));
      note(instance, "task " + slot->target.task_id + " was replaced by " + target.task_id +
                         "; following the new task");
      slot.reset();
    } else if (!slot && !first_refresh_) {
      note(instance, "following new task " + target.task_id);
    }
    if (!slot) {
      slot = std::make_unique<Follow>(target, settings_.max_line_bytes);
      slot->from_last_lines = first_refresh_;
    }
    slot->target.agent_address = target.agent_address;  // set once the task is placed
    BOREALIS_RETURN_IF_ERROR(check_run(*slot));
  }
  first_refresh_ = false;
  out_.flush();
  return Status();
}

// The process a task's output is followed from: --process, else the last one in the
// config's order that has logs. A task's later processes may start after the tail chose an
// earlier one (order constraints): then the tail moves on to the later one.
Result<std::string> JobTail::choose_process(const Follow& f) {
  if (!settings_.process.empty()) return settings_.process;
  BOREALIS_ASSIGN_OR_RETURN(std::vector<std::string> logged, source_.logged_processes(f.target));
  for (auto it = settings_.processes.rbegin(); it != settings_.processes.rend(); ++it)
    if (contains(logged, *it)) return *it;
  if (settings_.processes.empty() && !logged.empty()) return logged.back();
  return std::string();
}

Status JobTail::check_run(Follow& f) {
  if (f.run >= 0 && settings_.process.empty() && !settings_.processes.empty() &&
      f.process != settings_.processes.back()) {
    auto best = choose_process(f);
    if (!best.ok()) return report(f, best.status());
    if (*best != f.process) {
      BOREALIS_RETURN_IF_ERROR(drain(f));
      note(f.target.instance,
           "following process '" + *best + "', which started after '" + f.process + "'");
      f.process = *best;
      f.run = -1;
    }
  }
  auto info = locate(f);
  if (!info.ok()) return report(f, info.status());
  if (!*info) return Status();
  if (f.run >= 0 && (*info)->run <= f.run) return Status();
  if (f.run >= 0) {
    BOREALIS_RETURN_IF_ERROR(drain(f));
    note(f.target.instance,
         "process '" + f.process + "' restarted (run " + std::to_string((*info)->run) + ")");
  }
  Status st = begin(f, **info);
  return st.ok() ? st : report(f, st);
}

Status JobTail::drain(Follow& f) {
  if (f.run < 0) return Status();
  // What the old task or run wrote since the last round, up to one read.
  auto n = read_new(f);
  if (!n.ok()) BOREALIS_RETURN_IF_ERROR(report(f, n.status()));
  if (auto rest = f.cutter.flush()) print(f.target.instance, {*rest});
  return Status();
}

Result<bool> JobTail::poll() {
  bool got = false;
  for (auto& [instance, f] : follows_) {
    if (f->run < 0) {
      BOREALIS_RETURN_IF_ERROR(check_run(*f));
      if (f->run < 0) continue;
    }
    auto n = read_new(*f);
    if (!n.ok()) {
      BOREALIS_RETURN_IF_ERROR(report(*f, n.status()));
      continue;
    }
    f->last_error.clear();
    got = got || *n > 0;
  }
  out_.flush();
  return got;
}

void JobTail::finish() {
  for (auto& [instance, f] : follows_)
    if (auto rest = f->cutter.flush()) print(instance, {*rest});
  out_.flush();
}

}  // namespace borealis::cli
