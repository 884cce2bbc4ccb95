#include "testing/recording_proxy.h"

namespace borealis::testing {

namespace {

// The request's path and query, encoded again for the upstream.
std::string target_of(const net::HttpRequest& req) {
  std::string out;
  for (const auto& seg : net::path_segments(req.path)) out += "/" + net::url_encode(seg);
  if (out.empty()) out = "/";
  char sep = '?';
  for (const auto& [k, v] : req.query) {
    out += sep + net::url_encode(k) + "=" + net::url_encode(v);
    sep = '&';
  }
  return out;
}

}  // namespace

RecordingProxy::RecordingProxy(std::string upstream_url)
    : upstream_(std::move(upstream_url)), work_(io_.get_executor()) {
  server_ = std::make_unique<net::HttpServer>(io_, net::HttpServerOptions{});
  for (const char* method : {"GET", "POST", "PUT", "DELETE"}) {
    server_->route(method, "/**", [this](const net::HttpRequest& req, net::Responder respond) {
      respond(forward(req));
    });
  }
  started_ = server_->start().ok();
  thread_ = std::thread([this] { io_.run(); });
}

RecordingProxy::~RecordingProxy() {
  // Stop on the io thread and let it drain, so no session outlives the server.
  server_->stop();
  work_.reset();
  thread_.join();
}

std::string RecordingProxy::url() const {
  return started_ ? "http://127.0.0.1:" + std::to_string(server_->port()) : "";
}

std::vector<RecordingProxy::Request> RecordingProxy::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::vector<RecordingProxy::Request> RecordingProxy::requests_to(const std::string& method,
                                                                 const std::string& path) const {
  std::vector<Request> out;
  for (auto& r : requests())
    if (r.method == method && r.path == path) out.push_back(std::move(r));
  return out;
}

size_t RecordingProxy::count(const std::string& method, const std::string& path) const {
  return requests_to(method, path).size();
}

void RecordingProxy::answer_next(const std::string& method, const std::string& path, int status,
                                 std::string body, std::string content_type) {
  net::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  std::lock_guard<std::mutex> lock(mu_);
  canned_[method + " " + path] = std::move(r);
}

void RecordingProxy::before_next(const std::string& method, const std::string& path,
                                 std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  hooks_[method + " " + path] = std::move(fn);
}

net::HttpResponse RecordingProxy::forward(const net::HttpRequest& req) {
  std::function<void()> hook;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto auth = req.headers.find("authorization");
    std::string authorization = auth == req.headers.end() ? "" : auth->second;
    requests_.push_back({req.method, req.path, req.query, req.body, authorization});
    const std::string key = req.method + " " + req.path;
    auto it = canned_.find(key);
    if (it != canned_.end()) {
      net::HttpResponse r = std::move(it->second);
      canned_.erase(it);
      return r;
    }
    if (auto h = hooks_.find(key); h != hooks_.end()) {
      hook = std::move(h->second);
      hooks_.erase(h);
    }
  }
  if (hook) hook();
  if (!client_) {
    auto c = net::HttpClient::create(upstream_);
    if (!c.ok()) return net::HttpResponse::text(503, c.status().message());
    client_ = std::move(c).value();
  }
  auto auth = req.headers.find("authorization");
  client_->set_header("Authorization", auth == req.headers.end() ? "" : auth->second);
  auto r = client_->request(req.method, target_of(req), req.body);
  if (!r.ok())
    return net::HttpResponse::text(503, "upstream connect error: " + r.status().message());
  net::HttpResponse out;
  out.status = r->status;
  out.body = std::move(r->body);
  out.content_type = r->content_type.empty() ? "application/json" : r->content_type;
  return out;
}

}  // namespace borealis::testing
