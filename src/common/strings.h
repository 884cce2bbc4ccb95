// Small string helpers used across components.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace borealis {

// Splits on every `sep`; empty parts are kept ("a//b" -> {"a", "", "b"}).
std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::string_view trim(std::string_view s);
bool starts_with(std::string_view s, std::string_view prefix);

// Whole-string integer parsing; nullopt on anything but an in-range integer.
std::optional<int64_t> parse_int64(std::string_view s);
std::optional<double> parse_double(std::string_view s);

// "1.5 GiB", "300 MiB": for messages a human reads.
std::string format_bytes(int64_t bytes);

// Line and column of byte offset `pos` in `text`, 1-based: where a parse error is.
std::pair<size_t, size_t> line_col(std::string_view text, size_t pos);

}  // namespace borealis
