// Names of enums kept in arrays indexed by the enum's value, so an enum's name and its
// parse come from one list.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace borealis {

template <typename Enum, size_t N>
std::string_view enum_name(const std::array<std::string_view, N>& names, Enum value,
                           std::string_view unknown = "?") {
  auto i = static_cast<size_t>(value);
  return i < N ? names[i] : unknown;
}

template <typename Enum, size_t N>
std::optional<Enum> enum_from_name(const std::array<std::string_view, N>& names,
                                   std::string_view name) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == name) return static_cast<Enum>(i);
  return std::nullopt;
}

}  // namespace borealis
