// Raw bytes on a connection to the scheduler, taken the way its HTTP server and handlers
// take them: Beast's parser with the server's limits (src/net/http_server.cc, Session),
// requests read one after another while the connection is kept alive, each turned into a
// net::HttpRequest by net::to_http_request, then what the handlers do with it: path
// segments and the job key's parts, `?instances=`, the bearer token, and the body decoded as every
// API and agent protocol message. (Route matching stays private to the server: a handler
// sees only requests whose path matched its pattern.)
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api_bodies.h"
#include "auth/auth_config.h"
#include "auth/token.h"
#include "common/instance_ranges.h"
#include "common/job_key.h"
#include "fuzz_check.h"
#include "net/http_message.h"
#include "net/http_server.h"

namespace borealis::fuzz {
namespace {

constexpr std::string_view kToken = "fuzz-token";

const auth::AuthConfig& auth_config() {
  static const auth::AuthConfig config = [] {
    std::string yaml = "users:\n  - name: fuzzer\n    token_sha256: " + auth::sha256_hex(kToken) +
                       "\n    roles: [www-data]\n";
    auto c = auth::AuthConfig::parse(yaml, "fuzz-auth.yaml");
    FUZZ_CHECK(c.ok(), "the fixed auth file does not load: " + c.status().message());
    return std::move(c).value();
  }();
  return config;
}

// What the handlers do with a request.
void handle(const net::HttpRequest& req) {
  std::vector<std::string> segs = net::path_segments(req.path);
  for (const std::string& seg : segs)
    FUZZ_CHECK(!seg.empty() && seg.find('/') == std::string::npos, "bad segment: " + seg);
  // The job key of /api/v1/jobs/ROLE/ENVIRONMENT/NAME/...: each part must be an identifier.
  for (size_t i = 3; i < segs.size() && i < 6; ++i) (void)validate_identifier("part", segs[i]);
  if (std::string ids = req.param("instances"); !ids.empty()) (void)parse_instance_ranges(ids);
  auto header = req.headers.find("authorization");
  std::optional<std::string_view> authorization;
  if (header != req.headers.end()) authorization = header->second;
  auto who = auth_config().authenticate(authorization);
  FUZZ_CHECK(!who.ok() || authorization->substr(7) == kToken,
             "a wrong token authenticates: " + std::string(*authorization));
  if (auto doc = parse_json(req.body); doc.ok()) check_message_round_trips(*doc);
}

}  // namespace
}  // namespace borealis::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace borealis;
  namespace beast = boost::beast;
  namespace http = beast::http;
  static boost::asio::io_context io;
  beast::test::stream stream(io, std::string_view(reinterpret_cast<const char*>(data), size));
  stream.close_remote();  // the input is all the client sends
  beast::flat_buffer buffer;
  const net::HttpServerOptions options;
  while (true) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(options.max_body_bytes);
    parser.header_limit(static_cast<uint32_t>(options.max_header_bytes));
    beast::error_code ec;
    http::read(stream, buffer, parser, ec);
    if (ec) return 0;  // the server answers 413/431 or closes
    bool keep_alive = parser.get().keep_alive();
    auto req = net::to_http_request(parser.release());
    if (!req.ok()) return 0;  // 400, and the connection closes
    fuzz::handle(*req);
    if (!keep_alive) return 0;
  }
}
