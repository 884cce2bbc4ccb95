// ZooKeeper's return codes as Status: the code a caller branches on (a missing node is
// kNotFound, a lost connection kUnavailable, a refused ACL kPermissionDenied) and a
// message naming the operation, the path and ZooKeeper's own error text.
#pragma once

#include <string_view>

#include "common/status.h"

namespace borealis::zk {

// rc is a ZOK/Z* code from the C client; ZOK gives an OK status.
Status zk_status(int rc, std::string_view operation, std::string_view path);

}  // namespace borealis::zk
