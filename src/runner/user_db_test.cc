#include "runner/user_db.h"

#include <gtest/gtest.h>

#include "runner/test_sandbox.h"

namespace borealis::runner {
namespace {

using testing::TempSandbox;
using testing::write_file;

TEST(UserDbTest, FindsUserAndSupplementaryGroups) {
  TempSandbox sb;
  write_file(sb.file("passwd"),
             "# comment\nroot:x:0:0:root:/root:/bin/bash\n"
             "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n");
  write_file(sb.file("group"),
             "root:x:0:\nwww-data:x:33:\nlogs:x:120:alice,www-data\nother:x:121:alice\n");
  auto u = lookup_user("www-data", sb.file("passwd"), sb.file("group"));
  ASSERT_TRUE(u.ok()) << u.status().to_string();
  EXPECT_EQ(u->uid, 33u);
  EXPECT_EQ(u->gid, 33u);
  EXPECT_EQ(u->home, "/var/www");
  EXPECT_EQ(u->groups, (std::vector<gid_t>{33, 120}));
}

TEST(UserDbTest, UnknownOrBrokenUserIsAnError) {
  TempSandbox sb;
  write_file(sb.file("passwd"), "bad:x:notanumber:0::/:/bin/sh\n");
  auto missing = lookup_user("nobody-here", sb.file("passwd"), sb.file("group"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "no user 'nobody-here' in " + sb.file("passwd"));
  EXPECT_FALSE(lookup_user("bad", sb.file("passwd"), sb.file("group")).ok());
  // No group file: the primary group only.
  write_file(sb.file("passwd"), "svc:x:500:500::/home/svc:/bin/sh\n");
  auto svc = lookup_user("svc", sb.file("passwd"), sb.file("nogroup"));
  ASSERT_TRUE(svc.ok());
  EXPECT_EQ(svc->groups, (std::vector<gid_t>{500}));
}

// A fake user db: root, a system account, a user, nobody.
UserDb fake_db(const TempSandbox& sb) {
  write_file(sb.file("passwd"),
             "root:x:0:0:root:/root:/bin/bash\n"
             "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
             "alice:x:1000:1000::/home/alice:/bin/bash\n"
             "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
  write_file(sb.file("group"), "root:x:0:\nalice:x:1000:\nstaff:x:50:alice\n");
  return {sb.file("passwd"), sb.file("group")};
}

std::string ids_text(const Result<std::optional<UserIds>>& r) {
  if (!r.ok()) return r.status().message();
  if (!*r) return "no switch";
  return (*r)->name + " " + std::to_string((*r)->uid);
}

TEST(UserDbTest, ARootRunnerSwitchesToAllowedUsersOnly) {
  TempSandbox sb;
  UserDb db = fake_db(sb);
  EXPECT_EQ(ids_text(task_user_ids("alice", 1000, 0, db)), "alice 1000");
  EXPECT_EQ(ids_text(task_user_ids("nobody", 1000, 0, db)), "nobody 65534");
  auto alice = task_user_ids("alice", 1000, 0, db);
  EXPECT_EQ((*alice)->groups, (std::vector<gid_t>{1000, 50}));
  EXPECT_EQ(ids_text(task_user_ids("www-data", 1000, 0, db)),
            "task user 'www-data' (uid 33) is below the runner's --min-uid 1000");
  EXPECT_EQ(ids_text(task_user_ids("root", 1000, 0, db)),
            "task user 'root' (uid 0) is below the runner's --min-uid 1000");
  EXPECT_EQ(ids_text(task_user_ids("", 1, 0, db)),
            "task user 'root' (uid 0) is below the runner's --min-uid 1");
  EXPECT_EQ(ids_text(task_user_ids("ghost", 1000, 0, db)),
            "no user 'ghost' in " + sb.file("passwd"));
  // min_uid 0 (a role allowed to run as root): root is switched to like any user.
  EXPECT_EQ(ids_text(task_user_ids("root", 0, 0, db)), "root 0");
  EXPECT_EQ(ids_text(task_user_ids("www-data", 0, 0, db)), "www-data 33");
  EXPECT_EQ(ids_text(task_user_ids("", 0, 0, db)), "no switch");
}

TEST(UserDbTest, ARunnerThatIsNotRootNeverSwitches) {
  TempSandbox sb;
  UserDb db = fake_db(sb);
  EXPECT_EQ(ids_text(task_user_ids("alice", 1000, 1000, db)), "no switch");
  EXPECT_EQ(ids_text(task_user_ids("root", 1000, 1000, db)), "no switch");
  EXPECT_EQ(ids_text(task_user_ids("", 1000, 1000, db)), "no switch");
}

}  // namespace
}  // namespace borealis::runner
