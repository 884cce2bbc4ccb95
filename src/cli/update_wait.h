// Waiting for a rolling update to end (`update wait`, `update start --wait`, `job
// restart`), by polling GET .../updates/ID, and what its end means for the exit status.
//
// Progress goes to `progress` (stderr): on a terminal one line rewritten in place
// ("\r...\033[K"), otherwise a new line each time the progress changes, so logs show the
// history without one line per poll.
//
// Time comes from a Clock and waiting from an injected sleep, so tests never sleep.
// Blocking; runs on the calling thread.
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include "cli/api_client.h"
#include "common/clock.h"

namespace borealis::cli {

// "ROLLING_FORWARD 6/10 done, batch 4, 2 in flight, 0 failed" ("batch N" only once the
// scheduler counts batches: not for a queue strategy)
std::string format_update_progress(const UpdateSummary& u);
// The same without the status.
std::string format_update_counts(const UpdateSummary& u);

// Why an update ended as it did, from its event log: the latest message of a status
// event, and the failure of the latest failed instance ("instance 2: FAILED: process
// main exited 1"). Empty when the log says nothing.
std::string update_end_reason(const UpdateDetail& d);

// 0 when the update ended in `success` (ROLLED_FORWARD for updates and restarts,
// ROLLED_BACK for `update rollback --wait`), else kExitFailed.
int update_exit_code(const UpdateSummary& u, std::string_view success = "ROLLED_FORWARD");

struct UpdateWaitOptions {
  const Clock* clock = nullptr;
  std::function<void(TimeMs)> sleep;
  TimeMs poll_initial_ms = 50;  // see PollBackoff
  TimeMs poll_ms = 1000;
  TimeMs timeout_ms = 0;             // 0 = no limit
  std::ostream* progress = nullptr;  // where progress goes; nullptr = quiet
  bool terminal = false;             // rewrite one line instead of a line per change
};

// Polls update `id` (or "latest") of `key` until it ends; returns its last detail. A
// scheduler that cannot be reached is retried (it may be failing over); other API errors,
// and the timeout, end the wait with an error saying where the update stood.
Result<UpdateDetail> wait_for_update(ApiClient& api, const ClusterJobKey& key,
                                     const std::string& id, const UpdateWaitOptions& options);

struct CommandContext;

// What the update commands do when they wait: wait_for_update with the environment's
// clock, sleep and poll timing (progress on stderr), then report the end. Text: a line on
// stdout ("Update ID of KEY ended ROLLED_FORWARD: 10/10 done, ..."); `json`: the update's
// detail as the API gave it. An end other than `success` also prints "error: ... ended
// ROLLED_BACK: REASON" on stderr. Returns the exit code (update_exit_code, or 1 when the
// wait itself failed).
int wait_and_report(ApiClient& api, const ClusterJobKey& key, const std::string& id,
                    const CommandContext& ctx, bool json, TimeMs timeout_ms,
                    std::string_view success = "ROLLED_FORWARD");

// What `update start` and `job restart` do once the scheduler started `started`. With
// `wait`: "Started ..." (text), then wait_and_report. Without: the update's JSON, or
// "Started ..." and how to follow it. Returns the exit code.
int report_started_update(ApiClient& api, const ClusterJobKey& key, const UpdateAnswer& started,
                          const CommandContext& ctx, bool json, bool wait, TimeMs timeout_ms);

}  // namespace borealis::cli
