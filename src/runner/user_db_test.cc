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

}  // namespace
}  // namespace borealis::runner
