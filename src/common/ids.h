// Identifiers: random UUIDs (v4) for task ids, from a generator that tests can seed.
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace borealis {

class UuidGenerator {
 public:
  explicit UuidGenerator(uint64_t seed) : rng_(seed) {}
  // Seeded from std::random_device.
  UuidGenerator();
  std::string next();  // "1b4e28ba-2fa1-41d2-883f-0016d3cca427"

 private:
  std::mt19937_64 rng_;
};

}  // namespace borealis
