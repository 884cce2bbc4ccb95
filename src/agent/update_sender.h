// UpdateSender: delivers status updates to the scheduler at least once and in order. It
// owns the Outbox: updates submitted by the loop thread are appended to it (one sync per
// batch) before they are posted, posted in seq order in batches, and resent from the
// first unacknowledged one until the scheduler acknowledges them (`acked_seq`). The
// `kill` list of an answer goes to the on_kill callback.
//
// A batch the scheduler refuses for its content (HTTP 400, 413 or 422) is not resent as
// it is: the sender halves the batch until the refused update is alone, then drops that
// one, logs it, and declares its seq (`dropped_seqs`) with the next request, so one bad
// update never wedges the host. Updates the scheduler rejects one by one in a 200 answer
// (`rejected`) are acknowledged and logged. Other failures (5xx, 401/403, unreachable)
// are retried with backoff; following the leader (scheduler_address.h), the leader is
// looked up again before the retry, the backoff is at most kLeaderRetryMax, and a new
// leader (or a new registration) is tried at once.
//
// Threading: submit(), forget() and acked_seq() may be called from any thread; the
// outbox and the HTTP client are used only on the sender's own thread. stop() (or
// destruction) joins it, which may take up to one request's timeout. Updates submitted
// but not yet appended when it stops are dropped, exactly as in a crash: the agent
// re-derives them from the checkpoints when it starts again.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "agent/outbox.h"
#include "agent/registration.h"
#include "agent/scheduler_address.h"
#include "agent/task_manager.h"
#include "agent/worker_thread.h"
#include "net/http_client.h"

namespace borealis::agent {

struct SenderOptions {
  SchedulerAddress* scheduler = nullptr;  // borrowed; outlives the sender
  size_t max_batch = 1000;                // updates per POST
  int64_t backoff_min_ms = 100;
  int64_t backoff_max_ms = 5000;
  int64_t request_timeout_ms = 10'000;
  std::string token;        // sent as 'Authorization: Bearer TOKEN'; "" = none
  net::ClientTlsFiles tls;  // for an https:// scheduler_url
};

class UpdateSender final : public UpdateSink {
 public:
  using KillCallback = std::function<void(std::vector<std::string> task_ids)>;

  UpdateSender(std::unique_ptr<Outbox> outbox, SenderOptions options, Registration& registration,
               KillCallback on_kill);
  ~UpdateSender() override;

  void start();
  void stop();

  void submit(std::vector<StatusUpdate> updates) override;
  void forget(std::vector<std::string> task_ids) override;
  int64_t acked_seq() const override { return acked_.load(); }

 private:
  void run(std::stop_token stop);
  // One POST of the oldest pending updates; false when it must be retried later.
  bool send_batch();
  void wake();
  void leader_moved();
  void note_problem(const std::string& problem);  // "" = delivering fine
  // The scheduler refused `batch` for its content: narrow the next batch, or drop the
  // update when it is alone. True: try again at once.
  bool narrow_or_drop(const std::vector<StatusUpdate>& batch, int status, const std::string& body);

  std::unique_ptr<Outbox> outbox_;           // sender thread only, once started
  std::unique_ptr<net::HttpClient> client_;  // sender thread only
  std::string client_url_;                   // sender thread only: the URL client_ talks to
  std::string problem_;                      // sender thread only
  SenderOptions options_;
  size_t batch_limit_;            // sender thread only: max_batch, or less while narrowing
  std::vector<int64_t> dropped_;  // sender thread only: dropped, not yet declared
  Registration& registration_;
  KillCallback on_kill_;
  std::atomic<int64_t> acked_;

  std::mutex mu_;
  std::condition_variable_any cv_;
  std::vector<StatusUpdate> staged_;    // guarded by mu_
  std::vector<std::string> forgotten_;  // guarded by mu_
  bool poke_ = false;                   // guarded by mu_: registration changed
  bool moved_ = false;                  // guarded by mu_: the leader's URL changed
  WorkerThread thread_;
};

}  // namespace borealis::agent
