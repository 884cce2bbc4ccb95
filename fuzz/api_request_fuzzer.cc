// A JSON body of the API or the agent protocol, decoded as every message (api_bodies.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api_bodies.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace borealis;
  auto doc = parse_json(std::string_view(reinterpret_cast<const char*>(data), size));
  if (doc.ok()) fuzz::check_message_round_trips(*doc);
  return 0;
}
