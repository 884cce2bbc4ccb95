#include "agent/health_checker.h"

#include <sys/stat.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cctype>
#include <cmath>

#include "agent/http_probe.h"
#include "common/log.h"
#include "common/utf8.h"

namespace borealis::agent {

namespace asio = boost::asio;

namespace {

constexpr size_t kShownBody = 40;

std::string trim_lower(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out(s.substr(b, e - b));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The task's answer, shown in messages: valid UTF-8, cut on a character boundary.
std::string shown(std::string_view body) {
  std::string s = sanitize_text(body, kShownBody);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return "'" + s + "'";
}

std::chrono::milliseconds secs(double s) {
  return std::chrono::milliseconds(std::max<int64_t>(1, std::llround(s * 1000.0)));
}

}  // namespace

CheckResult judge_http(const HttpCheck& check, const std::string& method_url, int status,
                       const std::string& body) {
  CheckResult r;
  std::string got = std::to_string(status) + " " + shown(body);
  if (check.expected_response_code != 0) {
    r.ok = status == check.expected_response_code;
    r.detail =
        method_url +
        (r.ok ? ": "
              : ": expected status " + std::to_string(check.expected_response_code) + ", got ") +
        got;
    return r;
  }
  bool status_ok = status >= 200 && status < 300;
  bool body_ok =
      check.expected_response.empty() || trim_lower(body) == trim_lower(check.expected_response);
  r.ok = status_ok && body_ok;
  r.detail =
      method_url + (r.ok ? ": " : ": expected '" + check.expected_response + "', got ") + got;
  return r;
}

HealthChecker::HealthChecker(asio::io_context& io, HealthSpec spec, std::string sandbox,
                             const Clock& clock, Listener listener)
    : io_(io),
      spec_(std::move(spec)),
      sandbox_(std::move(sandbox)),
      clock_(clock),
      listener_(std::move(listener)),
      evaluator_(spec_.policy),
      timer_(io) {}

HealthChecker::~HealthChecker() { stop(); }

std::string HealthChecker::target() const {
  if (spec_.shell) return "`" + spec_.shell->command + "`";
  if (spec_.http) return "GET " + probe_url(spec_.http->port, spec_.http->endpoint);
  return "";
}

void HealthChecker::start(bool already_healthy) {
  if (!spec_.checked()) return;
  stopped_ = false;
  if (already_healthy) evaluator_.resume_healthy();
  attempt();
}

void HealthChecker::stop() {
  stopped_ = true;
  timer_.cancel();
  if (http_) http_->cancel();
  if (shell_) shell_->cancel();
  http_.reset();
  shell_.reset();
}

void HealthChecker::attempt() {
  if (stopped_) return;
  // The task's own file, in its work dir: looked at, never followed or opened.
  std::string snooze = check_dir(sandbox_) + "/.healthchecksnooze";
  struct stat st {};
  if (::lstat(snooze.c_str(), &st) == 0) {
    post_result({true, true, "snoozed: " + snooze + " exists"});
    return;
  }
  std::weak_ptr<HealthChecker> weak = weak_from_this();
  auto timeout = secs(spec_.policy.timeout_secs);
  if (spec_.shell) {
    if (!run_as_) {
      auto who = run_as(spec_.user, check_dir(sandbox_));
      if (!who.ok()) {
        post_result({false, false, target() + ": " + who.status().message()});
        return;
      }
      run_as_ = *who;
    }
    shell_ = ShellProbe::start(io_, spec_.shell->command, sandbox_, *run_as_, timeout,
                               [weak](CheckResult r) {
                                 if (auto self = weak.lock()) self->on_result(std::move(r));
                               });
    return;
  }
  HttpCheck check = *spec_.http;
  std::string what = target();
  http_ = HttpProbe::start(io_, check.port, "GET", check.endpoint, timeout,
                           [weak, check, what](HttpProbeResult res) {
                             auto self = weak.lock();
                             if (!self) return;
                             if (!res.answered) {
                               self->on_result({false, false, what + ": " + res.error});
                               return;
                             }
                             self->on_result(judge_http(check, what, res.status, res.body));
                           });
}

void HealthChecker::post_result(CheckResult r) {
  // Results never arrive inside attempt(): the owner may be mid-call into us.
  asio::post(io_, [weak = weak_from_this(), r = std::move(r)]() mutable {
    if (auto self = weak.lock()) self->on_result(std::move(r));
  });
}

void HealthChecker::on_result(CheckResult r) {
  http_.reset();
  shell_.reset();
  if (stopped_) return;
  snoozed_ = r.snoozed;
  last_result_ = r.detail;
  last_check_ms_ = clock_.now_ms();
  Health before = evaluator_.health();
  Health now = evaluator_.record(r);
  if (!r.ok) spdlog::debug("{}: health check failed: {}", sandbox_, r.detail);
  if (now == Health::kUnhealthy) stopped_ = true;
  if (now != before) {
    // The listener may stop or destroy this checker's owner; keep ourselves alive.
    auto self = shared_from_this();
    listener_(now);
  }
  if (stopped_) return;
  timer_.expires_after(secs(std::max(spec_.policy.interval_secs, kMinIntervalSecs)));
  timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (!ec && self) self->attempt();
  });
}

HealthView HealthChecker::view() const {
  HealthView v;
  v.health = evaluator_.health();
  v.checks = evaluator_.attempts();
  v.consecutive_failures = evaluator_.consecutive_failures();
  v.consecutive_successes = evaluator_.consecutive_successes();
  v.snoozed = snoozed_;
  v.last_result = last_result_;
  v.last_check_ms = last_check_ms_;
  v.reason = evaluator_.reason();
  return v;
}

}  // namespace borealis::agent
