#include "manage/profile.h"

namespace borealis::manage {

json::object profile_json(const Profile& p) {
  json::object o;
  o["name"] = p.name;
  o["user"] = p.user;
  o["stage"] = p.stage;
  o["cluster"] = p.cluster;
  o["buildname"] = p.buildname;
  o["githash"] = p.githash;
  o["hashtype"] = p.hashtype;
  o["cpu"] = p.cpu;
  o["ram_mb"] = p.ram_mb;
  o["disk_mb"] = p.disk_mb;
  o["instances"] = p.instances;
  o["taskargs"] = json_string_map(p.taskargs);
  return o;
}

}  // namespace borealis::manage
