#include "common/ids.h"

namespace borealis {

UuidGenerator::UuidGenerator()
    : rng_(std::random_device{}() ^ (uint64_t{std::random_device{}()} << 32)) {}

std::string UuidGenerator::next() {
  uint64_t hi = rng_();
  uint64_t lo = rng_();
  hi = (hi & ~uint64_t{0xF000}) | 0x4000;                      // version 4
  lo = (lo & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);  // variant 10
  static const char* kHex = "0123456789abcdef";
  char out[36];
  int pos = 0;
  auto put = [&](uint64_t v, int nibbles_from, int count) {
    for (int i = 0; i < count; ++i) {
      int shift = (nibbles_from - 1 - i) * 4;
      out[pos++] = kHex[(v >> shift) & 0xF];
    }
  };
  put(hi, 16, 8);
  out[pos++] = '-';
  put(hi, 8, 4);
  out[pos++] = '-';
  put(hi, 4, 4);
  out[pos++] = '-';
  put(lo, 16, 4);
  out[pos++] = '-';
  put(lo, 12, 12);
  return std::string(out, 36);
}

}  // namespace borealis
