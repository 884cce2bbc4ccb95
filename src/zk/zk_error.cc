#include "zk/zk_error.h"

#include <zookeeper/zookeeper.h>

#include <string>

namespace borealis::zk {
namespace {

StatusCode code_of(int rc) {
  switch (rc) {
    case ZNONODE:
      return StatusCode::kNotFound;
    case ZNODEEXISTS:
      return StatusCode::kAlreadyExists;
    case ZNOAUTH:
    case ZAUTHFAILED:
      return StatusCode::kPermissionDenied;
    case ZBADVERSION:
    case ZNOTEMPTY:
    case ZNOCHILDRENFOREPHEMERALS:
      return StatusCode::kFailedPrecondition;
    case ZBADARGUMENTS:
    case ZINVALIDACL:
      return StatusCode::kInvalidArgument;
    case ZCONNECTIONLOSS:
    case ZOPERATIONTIMEOUT:
    case ZSESSIONEXPIRED:
    case ZSESSIONMOVED:
    case ZINVALIDSTATE:
    case ZCLOSING:
    case ZNOTHING:
      return StatusCode::kUnavailable;
    default:
      return StatusCode::kInternal;
  }
}

}  // namespace

Status zk_status(int rc, std::string_view operation, std::string_view path) {
  if (rc == ZOK) return Status::ok_status();
  return Status(code_of(rc), "zookeeper " + std::string(operation) + " '" + std::string(path) +
                                 "': " + zerror(rc) + " (" + std::to_string(rc) + ")");
}

}  // namespace borealis::zk
