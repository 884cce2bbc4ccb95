// Test helpers for codecs: round trips, and refusals when a field is removed or replaced.
// Fields are named by JSON pointer ("/tasks/0/task_id").
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "api/codec.h"

namespace borealis::api::testing {

// encode -> text -> decode gives the value back.
template <typename T>
void expect_round_trip(const T& value) {
  json::value encoded = encode(value);
  auto back = decode_body<T>(json::serialize(encoded));
  ASSERT_TRUE(back.ok()) << back.status().to_string() << "\n" << json::serialize(encoded);
  EXPECT_TRUE(*back == value) << json::serialize(encoded) << "\ncame back as\n"
                              << json::serialize(encode(*back));
}

// The encoded value with the field at `pointer` removed (nullopt) or replaced.
inline json::value edited(json::value v, const std::string& pointer,
                          const std::optional<json::value>& replacement) {
  size_t slash = pointer.rfind('/');
  boost::system::error_code ec;
  json::value* parent = slash == 0 ? &v : v.find_pointer(pointer.substr(0, slash), ec);
  EXPECT_TRUE(parent) << "no parent for " << pointer;
  if (!parent) return v;
  std::string last = pointer.substr(slash + 1);
  if (parent->is_object()) {
    EXPECT_TRUE(parent->get_object().contains(last)) << pointer << " is not in the encoding";
    if (replacement)
      parent->get_object()[last] = *replacement;
    else
      parent->get_object().erase(last);
  } else {
    EXPECT_TRUE(replacement) << "cannot remove an array element: " << pointer;
    parent->get_array().at(std::stoul(last)) = *replacement;
  }
  return v;
}

// Decoding `value`'s encoding with the field at `pointer` removed (or replaced by
// `replacement`) fails with INVALID_ARGUMENT and a message containing `expected`.
template <typename T>
void expect_refused(const T& value, const std::string& pointer, const std::string& expected,
                    const std::optional<json::value>& replacement = std::nullopt) {
  json::value bad = edited(encode(value), pointer, replacement);
  auto r = decode<T>(bad);
  ASSERT_FALSE(r.ok()) << pointer << " accepted in " << json::serialize(bad);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find(expected), std::string::npos)
      << "error '" << r.status().message() << "' should contain '" << expected << "'";
}

}  // namespace borealis::api::testing
