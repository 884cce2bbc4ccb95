// What an agent offers the scheduler: its resources and the port range it hands out.
#pragma once

#include <cstdint>

namespace borealis::agent {

struct HostResources {
  double cpu = 0;    // cores
  int64_t ram = 0;   // bytes
  int64_t disk = 0;  // bytes
  bool operator==(const HostResources&) const = default;
};

struct PortRange {
  int lo = 31000;  // inclusive
  int hi = 31999;  // inclusive
  bool operator==(const PortRange&) const = default;
};

}  // namespace borealis::agent
