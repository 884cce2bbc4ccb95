// Names of the core's enums (task states, update statuses, instance actions), kept in
// arrays indexed by the enum's value.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace borealis::scheduler {

template <typename Enum, size_t N>
std::string_view enum_name(const std::array<std::string_view, N>& names, Enum value) {
  return names[static_cast<size_t>(value)];
}

template <typename Enum, size_t N>
std::optional<Enum> enum_from_name(const std::array<std::string_view, N>& names,
                                   std::string_view name) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == name) return static_cast<Enum>(i);
  return std::nullopt;
}

}  // namespace borealis::scheduler
