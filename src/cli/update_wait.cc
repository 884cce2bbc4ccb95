#include "cli/update_wait.h"

#include <algorithm>

#include "cli/command.h"
#include "cli/output.h"
#include "cli/update_format.h"
#include "cli/wait.h"

namespace borealis::cli {

namespace {

bool is_instance_event(const UpdateEventInfo& e) { return e.kind.rfind("INSTANCE_", 0) == 0; }

bool is_failure_event(const UpdateEventInfo& e) {
  return e.kind == "INSTANCE_UPDATE_FAILED" || e.kind == "INSTANCE_ROLLBACK_FAILED";
}

// Progress printing: one line rewritten in place on a terminal, else a line per change.
class ProgressLine {
 public:
  ProgressLine(std::ostream* out, bool terminal) : out_(out), terminal_(terminal) {}

  void show(const std::string& line) {
    if (!out_ || line == last_) return;
    if (terminal_) {
      *out_ << "\r" << line << "\033[K" << std::flush;
    } else {
      *out_ << line << "\n";
    }
    last_ = line;
  }

  // Ends the rewritten line so what follows starts on a fresh one.
  void done() {
    if (out_ && terminal_ && !last_.empty()) *out_ << "\n";
    last_.clear();
  }

 private:
  std::ostream* out_;
  bool terminal_;
  std::string last_;
};

}  // namespace

std::string format_update_progress(const UpdateSummary& u) {
  return u.status + " " + format_update_counts(u);
}

std::string format_update_counts(const UpdateSummary& u) {
  // A queue (sliding window) has no batches: the scheduler reports batch 0.
  std::string batch = u.batch > 0 ? ", batch " + std::to_string(u.batch) : "";
  return std::to_string(u.instances_done) + "/" + std::to_string(u.instances_total) + " done" +
         batch + ", " + std::to_string(u.instances_in_flight) + " in flight, " +
         std::to_string(u.instances_failed) + " failed";
}

std::string update_end_reason(const UpdateDetail& d) {
  std::string status_message, instance_failure;
  for (auto it = d.events.rbegin(); it != d.events.rend(); ++it) {
    if (status_message.empty() && !is_instance_event(*it) && !it->message.empty())
      status_message = it->message;
    if (instance_failure.empty() && is_failure_event(*it)) {
      instance_failure = "instance " + std::to_string(it->instance) +
                         (it->message.empty() ? " failed" : ": " + it->message);
    }
  }
  if (status_message.empty()) return instance_failure;
  if (instance_failure.empty()) return status_message;
  return status_message + "; " + instance_failure;
}

int update_exit_code(const UpdateSummary& u, std::string_view success) {
  return u.status == success ? kExitOk : kExitFailed;
}

Result<UpdateDetail> wait_for_update(ApiClient& api, const ClusterJobKey& key,
                                     const std::string& id, const UpdateWaitOptions& o) {
  const TimeMs start = o.clock->now_ms();
  PollBackoff backoff(o.poll_initial_ms, o.poll_ms);
  ProgressLine progress(o.progress, o.terminal);
  std::string where;  // the latest progress, for a timeout's message
  for (;;) {
    auto detail = api.get_update(key.job, id);
    if (detail.ok()) {
      if (is_update_ended(detail->summary.status)) {
        progress.done();
        return detail;
      }
      where = format_update_progress(detail->summary);
      progress.show(where);
    } else if (detail.status().code() == StatusCode::kUnavailable) {
      where = detail.status().message();
      progress.show("waiting: " + where);
    } else {
      progress.done();
      return detail.status().with_context("waiting for update " + id + " of " + key.to_string());
    }
    TimeMs elapsed = o.clock->now_ms() - start;
    if (o.timeout_ms > 0 && elapsed >= o.timeout_ms) {
      progress.done();
      return failed_precondition("timed out after " + format_age(elapsed) + " waiting for update " +
                                 id + " of " + key.to_string() + ": " + where);
    }
    TimeMs pause = backoff.next();
    if (o.timeout_ms > 0) pause = std::min(pause, o.timeout_ms - elapsed);
    o.sleep(pause);
  }
}

int wait_and_report(ApiClient& api, const ClusterJobKey& key, const std::string& id,
                    const CommandContext& ctx, bool json, TimeMs timeout_ms,
                    std::string_view success) {
  UpdateWaitOptions w;
  w.clock = ctx.env.clock;
  w.sleep = ctx.env.sleep;
  w.poll_initial_ms = ctx.env.poll_initial_ms;
  w.poll_ms = ctx.env.poll_ms;
  w.timeout_ms = timeout_ms;
  w.progress = &ctx.err;
  w.terminal = ctx.env.terminal;
  auto detail = wait_for_update(api, key, id, w);
  if (!detail.ok()) return fail(ctx, detail.status());
  const UpdateSummary& u = detail->summary;
  if (json) {
    print_json(ctx.out, detail->raw);
  } else {
    ctx.out << (u.restart ? "Restart " : "Update ") << u.update_id << " of " << u.job << " ended "
            << u.status << ": " << format_update_counts(u) << ".\n";
  }
  int code = update_exit_code(u, success);
  if (code != kExitOk) {
    std::string reason = update_end_reason(*detail);
    ctx.err << "error: " << (u.restart ? "restart " : "update ") << u.update_id << " of " << u.job
            << " ended " << u.status << (reason.empty() ? "" : ": " + reason)
            << "; see 'borealis update info " << key.to_string() << " " << u.update_id << "'\n";
  }
  return code;
}

int report_started_update(ApiClient& api, const ClusterJobKey& key, const UpdateAnswer& started,
                          const CommandContext& ctx, bool json, bool wait, TimeMs timeout_ms) {
  if (!wait) {
    if (json) {
      print_json(ctx.out, started.raw);
    } else {
      ctx.out << "Started " << format_update_line(started) << ".\n"
              << "Follow it with 'borealis update wait " << key.to_string() << " "
              << started.update_id << "'.\n";
    }
    return kExitOk;
  }
  if (!json) ctx.out << "Started " << format_update_line(started) << ".\n";
  return wait_and_report(api, key, started.update_id, ctx, json, timeout_ms);
}

}  // namespace borealis::cli
