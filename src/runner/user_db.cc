#include "runner/user_db.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/strings.h"

namespace borealis::runner {

namespace {

Result<std::string> read_small_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open " + path + ": " + std::strerror(errno));
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return io_error("cannot read " + path + ": " + std::strerror(err));
    }
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > (64 << 20)) break;
  }
  ::close(fd);
  return text;
}

// Calls fn(fields) for each non-comment line split on ':'; stops when fn returns true.
template <typename Fn>
void for_each_entry(const std::string& text, Fn fn) {
  for (const std::string& line : split(text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    if (fn(split(line, ':'))) return;
  }
}

}  // namespace

Result<UserIds> lookup_user(const std::string& name, const std::string& passwd_path,
                            const std::string& group_path) {
  BOREALIS_ASSIGN_OR_RETURN(std::string passwd, read_small_file(passwd_path));
  UserIds ids;
  bool found = false;
  Status bad;
  for_each_entry(passwd, [&](const std::vector<std::string>& f) {
    if (f.size() < 7 || f[0] != name) return false;
    auto uid = parse_int64(f[2]);
    auto gid = parse_int64(f[3]);
    if (!uid || !gid || *uid < 0 || *gid < 0) {
      bad = invalid_argument(passwd_path + ": bad uid or gid for user '" + name + "'");
      return true;
    }
    ids.name = name;
    ids.uid = static_cast<uid_t>(*uid);
    ids.gid = static_cast<gid_t>(*gid);
    ids.home = f[5];
    found = true;
    return true;
  });
  if (!bad.ok()) return bad;
  if (!found) return not_found("no user '" + name + "' in " + passwd_path);
  ids.groups.push_back(ids.gid);
  auto groups = read_small_file(group_path);
  if (groups.ok()) {  // without /etc/group the user keeps its primary group only
    for_each_entry(*groups, [&](const std::vector<std::string>& f) {
      if (f.size() < 4) return false;
      auto gid = parse_int64(f[2]);
      if (!gid || *gid < 0 || static_cast<gid_t>(*gid) == ids.gid) return false;
      for (const std::string& member : split(f[3], ','))
        if (member == name) ids.groups.push_back(static_cast<gid_t>(*gid));
      return false;
    });
  }
  return ids;
}

Result<std::optional<UserIds>> task_user_ids(const std::string& user, int64_t min_uid, uid_t euid,
                                             const UserDb& db) {
  if (euid != 0) return std::optional<UserIds>();
  auto below = [min_uid](const std::string& name, uid_t uid) {
    return invalid_argument("task user '" + name + "' (uid " + std::to_string(uid) +
                            ") is below the runner's --min-uid " + std::to_string(min_uid));
  };
  if (user.empty()) {
    if (min_uid > 0) return below("root", 0);
    return std::optional<UserIds>();
  }
  BOREALIS_ASSIGN_OR_RETURN(UserIds ids, lookup_user(user, db.passwd_path, db.group_path));
  if (static_cast<int64_t>(ids.uid) < min_uid) return below(user, ids.uid);
  return std::optional<UserIds>(std::move(ids));
}

}  // namespace borealis::runner
