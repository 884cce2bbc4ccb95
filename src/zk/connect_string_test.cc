#include "zk/connect_string.h"

#include <gtest/gtest.h>

namespace borealis::zk {
namespace {

TEST(ConnectStringTest, ParsesServersAndChroot) {
  Result<ConnectString> cs = parse_connect_string("zk1:2181,10.0.0.2:2182/borealis/prod");
  ASSERT_TRUE(cs.ok()) << cs.status().to_string();
  ASSERT_EQ(cs->servers.size(), 2u);
  EXPECT_EQ(cs->servers[0], (ServerAddress{"zk1", 2181}));
  EXPECT_EQ(cs->servers[1], (ServerAddress{"10.0.0.2", 2182}));
  EXPECT_EQ(cs->chroot, "/borealis/prod");
  EXPECT_EQ(cs->hosts(), "zk1:2181,10.0.0.2:2182");
  EXPECT_EQ(cs->to_string(), "zk1:2181,10.0.0.2:2182/borealis/prod");
}

TEST(ConnectStringTest, RootChrootIsNoChroot) {
  Result<ConnectString> cs = parse_connect_string("localhost:2181/");
  ASSERT_TRUE(cs.ok()) << cs.status().to_string();
  EXPECT_EQ(cs->chroot, "");
  EXPECT_EQ(cs->to_string(), "localhost:2181");
}

TEST(ConnectStringTest, RefusesBadInputSayingWhy) {
  struct Case {
    std::string text;
    std::string reason;
  };
  const Case cases[] = {
      {"", "--zk is empty"},
      {"zk1", "has no ':PORT'"},
      {"zk1:", "is not a number in 1-65535"},
      {"zk1:0", "is not a number in 1-65535"},
      {"zk1:65536", "is not a number in 1-65535"},
      {"zk1:21x", "is not a number in 1-65535"},
      {":2181", "has no host"},
      {"zk1:2181,", "empty server"},
      {"zk1:2181,,zk2:2181", "empty server"},
      {"zk 1:2181", "has a character other than"},
      {"zk1:2181/a//b", "chroot"},
      {"zk1:2181/a/", "chroot"},
      {std::string(1100, 'a') + ":1", "longer than 1024 bytes"},
  };
  for (const Case& c : cases) {
    Result<ConnectString> cs = parse_connect_string(c.text);
    ASSERT_FALSE(cs.ok()) << c.text;
    EXPECT_EQ(cs.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(cs.status().message().find(c.reason), std::string::npos)
        << c.text << " -> " << cs.status().message();
  }
}

TEST(ConnectStringTest, RefusesTooManyServers) {
  std::string text;
  for (int i = 0; i <= static_cast<int>(kMaxServers); ++i)
    text += "h:" + std::to_string(i + 1) + ",";
  text.pop_back();
  Result<ConnectString> cs = parse_connect_string(text);
  ASSERT_FALSE(cs.ok());
  EXPECT_NE(cs.status().message().find("more than 32 servers"), std::string::npos);
}

TEST(DigestCredentialTest, ParsesUserAndPassword) {
  Result<DigestCredential> c = parse_digest_credential("announcer:s3cr:et");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->user, "announcer");
  EXPECT_EQ(c->password, "s3cr:et");
  EXPECT_EQ(c->to_auth_string(), "announcer:s3cr:et");
}

TEST(DigestCredentialTest, RefusesMalformedWithoutEchoingThePassword) {
  for (const char* text : {"", "nopassword", ":pw", "user:", "user:pw\n"}) {
    Result<DigestCredential> c = parse_digest_credential(text);
    ASSERT_FALSE(c.ok()) << text;
    EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(c.status().message().find("expected user:password"), std::string::npos);
    EXPECT_EQ(c.status().message().find("pw"), std::string::npos) << c.status().message();
  }
  EXPECT_FALSE(parse_digest_credential("u:" + std::string(300, 'p')).ok());
}

}  // namespace
}  // namespace borealis::zk
