// Resource vectors in exact integer units (cpu in millicores), so sums and differences
// over millions of placements never drift.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include "jobspec/job_spec.h"

namespace borealis::scheduler {

struct ResourceVec {
  int64_t cpu_milli = 0;
  int64_t ram = 0;   // bytes
  int64_t disk = 0;  // bytes
  int64_t gpu = 0;

  static ResourceVec from_spec(const jobspec::Resources& r) {
    return ResourceVec{static_cast<int64_t>(std::llround(r.cpu * 1000)), r.ram, r.disk, r.gpu};
  }
  double cpu() const { return static_cast<double>(cpu_milli) / 1000.0; }

  ResourceVec& operator+=(const ResourceVec& o) {
    cpu_milli += o.cpu_milli;
    ram += o.ram;
    disk += o.disk;
    gpu += o.gpu;
    return *this;
  }
  ResourceVec& operator-=(const ResourceVec& o) {
    cpu_milli -= o.cpu_milli;
    ram -= o.ram;
    disk -= o.disk;
    gpu -= o.gpu;
    return *this;
  }
  friend ResourceVec operator-(ResourceVec a, const ResourceVec& b) { return a -= b; }
  bool fits_in(const ResourceVec& free) const {
    return cpu_milli <= free.cpu_milli && ram <= free.ram && disk <= free.disk && gpu <= free.gpu;
  }
  bool operator==(const ResourceVec&) const = default;
};

}  // namespace borealis::scheduler
