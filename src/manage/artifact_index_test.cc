#include "manage/artifact_index.h"

#include <gtest/gtest.h>

#include "net/running_server.h"
#include "testing/temp_dir.h"

namespace borealis::manage {
namespace {

const std::string kSha(64, 'a');
const std::string kSums = kSha + "  eightball.pex\n" + std::string(64, 'B') + " *conf.tar.gz\n";

TEST(ArtifactIndexTest, ParsesSha256sumOutput) {
  auto index = parse_sha256sums("SUMS", kSums, "file:///s/b/h");
  ASSERT_TRUE(index.ok()) << index.status().message();
  ASSERT_EQ(index->size(), 2u);
  EXPECT_EQ(index->at("eightball.pex").uri, "file:///s/b/h/eightball.pex");
  EXPECT_EQ(index->at("eightball.pex").sha256, kSha);
  EXPECT_EQ(index->at("conf.tar.gz").sha256, std::string(64, 'b'));  // lowercased
}

TEST(ArtifactIndexTest, RefusesBadLinesNamingThem) {
  EXPECT_EQ(parse_sha256sums("SUMS", "\nabc  x\n", "u").status().message(),
            "SUMS:2: expected '<64 hex digits>  <file name>' as sha256sum writes it");
  EXPECT_EQ(parse_sha256sums("SUMS", kSha + "  ../etc/passwd\n", "u").status().message(),
            "SUMS:1: '../etc/passwd' is not a plain file name");
  EXPECT_EQ(parse_sha256sums("SUMS", std::string(64, 'g') + "  x\n", "u").status().message(),
            "SUMS:1: '" + std::string(64, 'g') + "' is not a SHA-256 (64 hex digits)");
  EXPECT_EQ(parse_sha256sums("SUMS", kSha + "  x\n" + kSha + "  x\n", "u").status().message(),
            "SUMS:2: 'x' is listed twice");
}

TEST(ArtifactIndexTest, ReadsADirectoryStore) {
  testing::TempDir store;
  store.write("eightball/abc1234/SHA256SUMS", kSums);
  auto index =
      read_artifact_index(store.path() + "/", "eightball", "abc1234", std::chrono::seconds(1));
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->at("eightball.pex").uri,
            "file://" + store.path() + "/eightball/abc1234/eightball.pex");
  json::object o = artifacts_json(*index);
  EXPECT_EQ(o.at("eightball.pex").at("sha256").as_string(), kSha);
}

TEST(ArtifactIndexTest, AMissingBuildSaysWhereItLooked) {
  testing::TempDir store;
  auto index = read_artifact_index(store.path(), "eightball", "abc1234", std::chrono::seconds(1));
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(index.status().message(), "the artifact store " + store.path() + " has no " +
                                          store.path() + "/eightball/abc1234/SHA256SUMS");
}

class HttpStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.server().route(
        "GET", "/builds/eightball/abc1234/SHA256SUMS",
        [](const net::HttpRequest&, net::Responder r) { r(net::HttpResponse::text(200, kSums)); });
    server_.server().route("GET", "/builds/huge/abc1234/SHA256SUMS",
                           [](const net::HttpRequest&, net::Responder r) {
                             r(net::HttpResponse::text(200, std::string(2 << 20, 'x')));
                           });
    ASSERT_TRUE(server_.start().ok());
  }
  net::testing::RunningServer server_{net::HttpServerOptions{}};
};

TEST_F(HttpStoreTest, ReadsAnHttpStore) {
  std::string store = server_.url() + "/builds/";
  auto index = read_artifact_index(store, "eightball", "abc1234", std::chrono::seconds(5));
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->at("eightball.pex").uri,
            server_.url() + "/builds/eightball/abc1234/eightball.pex");
}

TEST_F(HttpStoreTest, AMissingBuildIsNotFound) {
  auto index =
      read_artifact_index(server_.url() + "/builds", "eightball", "fff", std::chrono::seconds(5));
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(index.status().message(),
            "the artifact store " + server_.url() + "/builds has no eightball/fff/SHA256SUMS");
}

TEST_F(HttpStoreTest, AnOversizedIndexIsRefused) {
  auto index =
      read_artifact_index(server_.url() + "/builds", "huge", "abc1234", std::chrono::seconds(5));
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), StatusCode::kResourceExhausted);
  // Refused while reading, at the index's own limit, not after a whole 2 MiB body.
  EXPECT_NE(index.status().message().find("the answer is larger than 1048576 bytes"),
            std::string::npos)
      << index.status().message();
}

TEST(ArtifactIndexTest, AnUnreachableHttpStoreIsUnavailable) {
  auto index = read_artifact_index("http://127.0.0.1:1", "b", "abc1", std::chrono::seconds(2));
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace borealis::manage
