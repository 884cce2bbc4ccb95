#include "cli/credentials.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "cli/test_util.h"

namespace borealis::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

const std::string kAlice(64, 'a');
const std::string kBob(64, 'b');
const std::string kEnv = "env-token_1.2~3+4/5==";

// `text` at dir/name with `mode`.
std::string write_mode(const TempDir& dir, const std::string& name, const std::string& text,
                       mode_t mode) {
  std::string path = dir.write(name, text);
  EXPECT_EQ(::chmod(path.c_str(), mode), 0);
  return path;
}

ClusterConfig cluster(const std::string& name, ClusterAuth auth = {}) {
  ClusterConfig c;
  c.name = name;
  c.scheduler_uri = "http://127.0.0.1:1";
  c.source = "/etc/borealis/clusters.json";
  c.auth = std::move(auth);
  return c;
}

// The token a request would carry, as its header value; "" when none.
std::string header_of(const ClusterCredentials& c) {
  return c.token ? c.token->authorization() : "";
}

TEST(BearerTokenTest, AcceptsRfc6750TokensOnly) {
  EXPECT_TRUE(is_bearer_token(kAlice));
  EXPECT_TRUE(is_bearer_token(kEnv));
  EXPECT_TRUE(is_bearer_token("YWJj=="));
  EXPECT_FALSE(is_bearer_token(""));
  EXPECT_FALSE(is_bearer_token("=="));
  EXPECT_FALSE(is_bearer_token("a b"));
  EXPECT_FALSE(is_bearer_token("abc\r\nX-Evil: 1"));
  EXPECT_FALSE(is_bearer_token("a=b"));
  EXPECT_FALSE(is_bearer_token("caf\xc3\xa9"));
  EXPECT_TRUE(is_bearer_token(std::string(4096, 'x')));
  EXPECT_FALSE(is_bearer_token(std::string(4097, 'x')));
}

TEST(BearerTokenTest, GoesOnlyIntoTheHeader) {
  BearerToken t(kAlice, "BOREALIS_TOKEN");
  EXPECT_EQ(t.authorization(), "Bearer " + kAlice);
  EXPECT_EQ(t.source(), "BOREALIS_TOKEN");
}

TEST(CredentialsFileTest, ParsesNamesAndTokensWithCommentsAndBlankLines) {
  auto f = parse_credentials("# tokens, one cluster a line\n\nus-east " + kAlice + "\n\teu\t\t" +
                                 kBob + "  \r\n  # indented comment\n",
                             "/h/.borealis/credentials");
  ASSERT_TRUE(f.ok()) << f.status().to_string();
  EXPECT_EQ(f->path, "/h/.borealis/credentials");
  ASSERT_EQ(f->entries.size(), 2u);
  EXPECT_EQ(f->entries.at("us-east").token, kAlice);
  EXPECT_EQ(f->entries.at("us-east").line, 3);
  EXPECT_EQ(f->entries.at("eu").token, kBob);
  EXPECT_EQ(f->entries.at("eu").line, 4);

  auto empty = parse_credentials("", "f");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->entries.empty());
}

TEST(CredentialsFileTest, BadLinesNameFileAndLineAndNeverQuoteATokenBack) {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::string secret = "s3cr3t-" + kAlice;
  const std::vector<Case> cases = {
      {"# a\n" + secret + "\n",
       "f:2: expected NAME TOKEN (a cluster or credentials name and its token, separated by "
       "spaces), found 1 fields"},
      {"us-east Bearer " + secret + "\n",
       "f:1: expected NAME TOKEN (a cluster or credentials "
       "name and its token, separated by spaces), found 3 "
       "fields"},
      {"us/east " + secret + "\n",
       "f:1: the name (first field) may only contain letters, digits, '_', '-' and '.'"},
      {"\n\nus-east " + secret + "\"\n",
       "f:3: the token of 'us-east' is not a bearer token: it may only contain letters, digits "
       "and -._~+/ followed by '='s, at most 4096 characters"},
      {"us-east " + secret + "\nus-east " + secret + "\n",
       "f:2: 'us-east' is listed twice (first on line 1)"},
  };
  for (const Case& c : cases) {
    auto f = parse_credentials(c.text, "f");
    ASSERT_FALSE(f.ok()) << c.text;
    EXPECT_EQ(f.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(f.status().message(), c.message);
    EXPECT_THAT(f.status().message(), Not(HasSubstr(secret.substr(7))));
  }
}

TEST(CredentialsFileTest, MissingFileIsNotFound) {
  TempDir dir;
  auto f = read_credentials_file(dir / "nope");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(f.status().message(), HasSubstr("credentials file '" + (dir / "nope") + "'"));
}

TEST(CredentialsFileTest, RefusesAFileGroupOrOthersMayAccessAsSshDoes) {
  TempDir dir;
  for (mode_t mode : {0644, 0640, 0604, 0620, 0602, 0610}) {
    std::string path = write_mode(dir, "credentials", "c " + kAlice + "\n", mode);
    auto f = read_credentials_file(path);
    ASSERT_FALSE(f.ok()) << std::oct << mode;
    EXPECT_EQ(f.status().code(), StatusCode::kFailedPrecondition);
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
    EXPECT_EQ(f.status().message(), "credentials file '" + path + "' has mode " + octal +
                                        ": group and others must have no access to it; run "
                                        "'chmod 600 " +
                                        path + "'");
    EXPECT_THAT(f.status().message(), Not(HasSubstr(kAlice)));
  }
  for (mode_t mode : {0600, 0400}) {
    std::string path = write_mode(dir, "credentials", "c " + kAlice + "\n", mode);
    auto f = read_credentials_file(path);
    ASSERT_TRUE(f.ok()) << f.status().to_string();
    EXPECT_EQ(f->entries.at("c").token, kAlice);
  }
}

TEST(CredentialsFileTest, RefusesDirectoriesHugeFilesAndOtherUsersFiles) {
  TempDir dir;
  std::string sub = dir / "sub";
  ASSERT_EQ(::mkdir(sub.c_str(), 0700), 0);
  auto d = read_credentials_file(sub);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "credentials file '" + sub + "' is not a regular file");

  std::string big = write_mode(dir, "big", std::string(kMaxCredentialsFileBytes + 1, '#'), 0600);
  auto b = read_credentials_file(big);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kResourceExhausted);

  if (::geteuid() != 0) GTEST_SKIP() << "giving a file to another user needs root";
  std::string other = write_mode(dir, "other", "c " + kAlice + "\n", 0600);
  ASSERT_EQ(::chown(other.c_str(), 65534, 65534), 0);
  auto o = read_credentials_file(other);
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().message(),
            "credentials file '" + other + "' is owned by uid 65534, not by you (uid 0)");
}

TEST(CredentialsFileTest, BadLineInARealFileNamesItsPath) {
  TempDir dir;
  std::string path = write_mode(dir, "credentials", "ok " + kAlice + "\nbroken\n", 0600);
  auto f = read_credentials_file(path);
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(f.status().message(), HasSubstr(path + ":2: expected NAME TOKEN"));
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(StoreCredentialsTest, CreatesTheFileAndItsDirectoryPrivate) {
  TempDir dir;
  std::string path = dir / "home/.borealis/credentials";
  ASSERT_EQ(::mkdir((dir / "home").c_str(), 0755), 0);
  auto line = store_credentials(path, "us-east", kAlice);
  ASSERT_TRUE(line.ok()) << line.status().to_string();
  EXPECT_EQ(*line, 1);
  EXPECT_EQ(read_text(path), "us-east " + kAlice + "\n");
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(mode_of(dir / "home/.borealis"), 0700u);
}

TEST(StoreCredentialsTest, ReplacesOrAppendsTheEntryAndKeepsEveryOtherLine) {
  TempDir dir;
  std::string path =
      write_mode(dir, "credentials", "# mine\nus-east " + kAlice + "\n\neu " + kAlice, 0400);
  auto replaced = store_credentials(path, "us-east", kBob);
  ASSERT_TRUE(replaced.ok()) << replaced.status().to_string();
  EXPECT_EQ(*replaced, 2);
  EXPECT_EQ(read_text(path), "# mine\nus-east " + kBob + "\n\neu " + kAlice + "\n");
  EXPECT_EQ(mode_of(path), 0600u);
  auto added = store_credentials(path, "lab", kEnv);
  ASSERT_TRUE(added.ok()) << added.status().to_string();
  EXPECT_EQ(*added, 5);
  auto f = read_credentials_file(path);
  ASSERT_TRUE(f.ok()) << f.status().to_string();
  EXPECT_EQ(f->entries.at("us-east").token, kBob);
  EXPECT_EQ(f->entries.at("eu").token, kAlice);
  EXPECT_EQ(f->entries.at("lab").token, kEnv);
  EXPECT_EQ(f->entries.at("lab").line, 5);
}

TEST(StoreCredentialsTest, LeavesAFileItRefusesAlone) {
  TempDir dir;
  const std::string open_text = "us-east " + kAlice + "\n";
  std::string open_file = write_mode(dir, "open", open_text, 0644);
  auto st = store_credentials(open_file, "us-east", kBob);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.status().message(), HasSubstr("has mode 0644"));
  EXPECT_EQ(read_text(open_file), open_text);

  std::string broken = write_mode(dir, "broken", "oops\n", 0600);
  EXPECT_FALSE(store_credentials(broken, "us-east", kBob).ok());
  EXPECT_EQ(read_text(broken), "oops\n");
}

class CredentialsForTest : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_.default_file =
        write_mode(dir_, "credentials", "us-east " + kAlice + "\nshared " + kBob + "\n", 0600);
  }
  TempDir dir_;
  TokenSettings settings_;
};

TEST_F(CredentialsForTest, EnvironmentWinsOverTheFile) {
  settings_.env_token = kEnv;
  auto c = credentials_for(cluster("us-east"), settings_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(header_of(*c), "Bearer " + kEnv);
  EXPECT_EQ(c->token->source(), "BOREALIS_TOKEN");

  // Even over an entry clusters.json names, and without reading a broken file.
  write_mode(dir_, "credentials", "broken\n", 0644);
  auto named = credentials_for(cluster("us-east", {false, "shared", ""}), settings_);
  ASSERT_TRUE(named.ok()) << named.status().to_string();
  EXPECT_EQ(header_of(*named), "Bearer " + kEnv);
}

TEST_F(CredentialsForTest, EmptyEnvironmentVariableCountsAsUnset) {
  settings_.env_token = "";
  auto c = credentials_for(cluster("us-east"), settings_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(header_of(*c), "Bearer " + kAlice);
}

TEST_F(CredentialsForTest, MalformedEnvironmentTokenIsRefusedWithoutQuotingIt) {
  settings_.env_token = kAlice + "\r\nX-Admin: yes";
  auto c = credentials_for(cluster("us-east"), settings_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "BOREALIS_TOKEN is not a bearer token: it may only contain letters, digits and "
            "-._~+/ followed by '='s, at most 4096 characters");
}

TEST_F(CredentialsForTest, FileEntryNamedAfterTheClusterByDefault) {
  auto c = credentials_for(cluster("us-east"), settings_);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(header_of(*c), "Bearer " + kAlice);
  EXPECT_EQ(c->token->source(), settings_.default_file + ":1 (entry 'us-east')");

  // A cluster without an entry, or without a file, sends no token.
  auto none = credentials_for(cluster("eu"), settings_);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->token);
  EXPECT_EQ(none->entry, "eu");
  EXPECT_EQ(none->file, settings_.default_file);
  settings_.default_file = dir_ / "missing";
  auto missing = credentials_for(cluster("us-east"), settings_);
  ASSERT_TRUE(missing.ok()) << missing.status().to_string();
  EXPECT_FALSE(missing->token);
  settings_.default_file = "";
  auto homeless = credentials_for(cluster("us-east"), settings_);
  ASSERT_TRUE(homeless.ok());
  EXPECT_FALSE(homeless->token);
}

TEST_F(CredentialsForTest, AnOpenFileIsRefusedEvenForAClusterItDoesNotName) {
  ASSERT_EQ(::chmod(settings_.default_file.c_str(), 0644), 0);
  auto c = credentials_for(cluster("eu"), settings_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(c.status().message(), HasSubstr("has mode 0644"));
}

TEST_F(CredentialsForTest, ClustersJsonNamesTheEntryAndTheFile) {
  auto shared = credentials_for(cluster("us-east", {false, "shared", ""}), settings_);
  ASSERT_TRUE(shared.ok()) << shared.status().to_string();
  EXPECT_EQ(header_of(*shared), "Bearer " + kBob);
  EXPECT_EQ(shared->token->source(), settings_.default_file + ":2 (entry 'shared')");

  std::string ci = write_mode(dir_, "ci", "# CI\nus-east " + kBob + "\n", 0600);
  auto file = credentials_for(cluster("us-east", {false, "", ci}), settings_);
  ASSERT_TRUE(file.ok()) << file.status().to_string();
  EXPECT_EQ(header_of(*file), "Bearer " + kBob);
  EXPECT_EQ(file->token->source(), ci + ":2 (entry 'us-east')");
}

TEST_F(CredentialsForTest, WhatClustersJsonNamesMustExist) {
  auto entry = credentials_for(cluster("us-east", {false, "nope", ""}), settings_);
  ASSERT_FALSE(entry.ok());
  EXPECT_EQ(entry.status().message(), "credentials file '" + settings_.default_file +
                                          "' has no entry 'nope', named for cluster 'us-east' in "
                                          "/etc/borealis/clusters.json (\"auth\")");

  auto file = credentials_for(cluster("us-east", {false, "", dir_ / "missing"}), settings_);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(file.status().message(),
              HasSubstr("credentials named for cluster 'us-east' in /etc/borealis/clusters.json "
                        "(\"auth\"): cannot read credentials file '" +
                        (dir_ / "missing") + "'"));
}

TEST_F(CredentialsForTest, AuthNoneSendsNothingNotEvenTheEnvironment) {
  settings_.env_token = kEnv;
  auto c = credentials_for(cluster("us-east", {true, "", ""}), settings_);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->token);
  EXPECT_TRUE(c->auth_none);
}

TEST(AuthHintTest, SaysHowToSendTheRightTokenAndNeverShowsIt) {
  ClusterCredentials none{"us-east", std::nullopt, false, "/h/.borealis/credentials", "us-east"};
  EXPECT_EQ(auth_hint(none, StatusCode::kUnauthenticated),
            "hint: no token was sent to cluster 'us-east': set BOREALIS_TOKEN=TOKEN, or add the "
            "line 'us-east TOKEN' to /h/.borealis/credentials (mode 0600); an admin of the "
            "cluster creates tokens with 'borealis admin token create'");

  ClusterCredentials sent = none;
  sent.token = BearerToken(kAlice, "/h/.borealis/credentials:3 (entry 'us-east')");
  std::string bad = auth_hint(sent, StatusCode::kUnauthenticated);
  EXPECT_EQ(bad,
            "hint: cluster 'us-east' did not accept the token from /h/.borealis/credentials:3 "
            "(entry 'us-east'); check that it is the one 'borealis admin token create' printed "
            "and that its digest is in the cluster's auth file");
  std::string denied = auth_hint(sent, StatusCode::kPermissionDenied);
  EXPECT_EQ(denied,
            "hint: the token from /h/.borealis/credentials:3 (entry 'us-east') lacks this "
            "grant; ask an admin of cluster 'us-east' to add it to your entry in the auth file, "
            "or use another token (BOREALIS_TOKEN, /h/.borealis/credentials)");
  EXPECT_THAT(bad + denied, Not(HasSubstr(kAlice)));

  ClusterCredentials off{"lab", std::nullopt, true, "", ""};
  EXPECT_THAT(auth_hint(off, StatusCode::kUnauthenticated), HasSubstr("\"auth\": \"none\""));
}

}  // namespace
}  // namespace borealis::cli
