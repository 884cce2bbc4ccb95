#include "agent/file_util.h"

#include <cstring>

namespace borealis::agent {

std::string errno_text(int err) { return std::strerror(err); }

}  // namespace borealis::agent
