// Text that crosses a process boundary must be valid UTF-8 (JSON requires it, and the
// scheduler refuses a batch that is not). Text from tasks — health answers, shell output,
// exit messages — is hostile: these make it valid and bounded without ever splitting a
// character.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace borealis {

// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points above
// U+10FFFF).
bool is_valid_utf8(std::string_view s);

// `s` with every byte that is not part of a well-formed sequence replaced by U+FFFD.
std::string make_valid_utf8(std::string_view s);

// The longest prefix of `s` of at most `max_bytes` bytes that ends on a character boundary
// (assuming `s` is valid UTF-8).
std::string_view utf8_prefix(std::string_view s, size_t max_bytes);

// make_valid_utf8(s), cut to at most `max_bytes` on a character boundary, with "..." at the
// end when something was cut (the result, "..." included, is at most max_bytes + 3 bytes).
std::string sanitize_text(std::string_view s, size_t max_bytes);

}  // namespace borealis
