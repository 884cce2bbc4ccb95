// The request a handler sees (HttpRequest) from the message Beast parsed: the target split
// into its decoded path and query parameters, header names lower-cased, the body moved. The
// server's connections use it, and so does the fuzz target of the request path
// (fuzz/http_request_fuzzer.cc), which feeds Beast's parser the way a connection does.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "common/result.h"
#include "net/http_types.h"

namespace borealis::net {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;

// INVALID_ARGUMENT when the target is not in origin form ("/path?query"). `remote` is left
// for the caller, which knows the connection.
Result<HttpRequest> to_http_request(BeastRequest&& msg);

}  // namespace borealis::net
