// The shape every API and protocol message follows: a plain struct with `==`, an
// `encode(const T&)` overload that writes its JSON, and a `decode<T>(json)` specialisation
// that reads it back and refuses malformed input with an error naming the field.
// decode_body<T> parses an HTTP body first.
#pragma once

#include <string_view>

#include "common/json.h"

namespace borealis::api {

template <typename T>
Result<T> decode(const json::value& v);

// Declares the decode<T> specialisation of a message type (in namespace borealis::api).
#define BOREALIS_API_DECODER(T) \
  template <>                   \
  Result<T> decode<T>(const json::value& v)

// Declares both halves of a codec for a type of this namespace.
#define BOREALIS_API_CODEC(T)      \
  json::object encode(const T& v); \
  BOREALIS_API_DECODER(T)

template <typename T>
Result<T> decode_body(std::string_view body) {
  auto doc = parse_json(body);
  if (!doc.ok()) return doc.status();
  return decode<T>(*doc);
}

}  // namespace borealis::api
