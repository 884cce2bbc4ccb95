#include "agent/artifact_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <filesystem>

#include "agent/test_util.h"

namespace borealis::agent {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

std::string sha(char c) { return std::string(64, c); }

// A verified download of `size` bytes waiting in the cache directory.
std::string download(ArtifactCache& cache, const std::string& sha256, size_t size) {
  std::string temp = cache.temp_path(sha256);
  testing::write_text(temp, std::string(size, 'x'));
  return temp;
}

// Admits `size` bytes as `sha256` and releases the pin, as a finished launch does.
void add(ArtifactCache& cache, char key, size_t size) {
  ASSERT_TRUE(cache.admit(sha(key), download(cache, sha(key), size), size).ok());
  cache.unpin(sha(key));
}

class ArtifactCacheTest : public ::testing::Test {
 protected:
  ArtifactCache& open_cache(int64_t max_bytes) {
    auto cache = ArtifactCache::open(dir_, max_bytes);
    EXPECT_TRUE(cache.ok()) << cache.status().message();
    cache_ = std::move(cache).value();
    return *cache_;
  }
  TempDir tmp_{"artifact-cache"};
  std::string dir_ = tmp_ / "cache";
  std::unique_ptr<ArtifactCache> cache_;
};

TEST_F(ArtifactCacheTest, CountsHitsAndMisses) {
  ArtifactCache& c = open_cache(1000);
  EXPECT_EQ(fs::status(dir_).permissions(), fs::perms::owner_all);
  EXPECT_FALSE(c.acquire(sha('a')));
  ASSERT_TRUE(c.admit(sha('a'), download(c, sha('a'), 100), 100).ok());
  EXPECT_TRUE(fs::exists(c.path_of(sha('a'))));
  EXPECT_TRUE(c.acquire(sha('a')));
  EXPECT_EQ(c.stats().hits, 1);
  EXPECT_EQ(c.stats().misses, 1);
  EXPECT_EQ(c.stats().bytes, 100);
  EXPECT_EQ(c.stats().entries, 1);
}

TEST_F(ArtifactCacheTest, EvictsTheLeastRecentlyUsedUnpinnedEntry) {
  ArtifactCache& c = open_cache(300);
  for (char k : {'a', 'b', 'c'}) add(c, k, 100);
  ASSERT_TRUE(c.acquire(sha('a')));  // a is now the most recent; b the least
  c.unpin(sha('a'));
  ASSERT_TRUE(c.admit(sha('d'), download(c, sha('d'), 150), 150).ok());
  EXPECT_FALSE(c.contains(sha('b')));
  EXPECT_FALSE(c.contains(sha('c')));
  EXPECT_TRUE(c.contains(sha('a')));
  EXPECT_FALSE(fs::exists(c.path_of(sha('b'))));
  EXPECT_EQ(c.stats().evictions, 2);
  EXPECT_EQ(c.stats().bytes, 250);
}

TEST_F(ArtifactCacheTest, PinnedEntriesAreNotEvicted) {
  ArtifactCache& c = open_cache(200);
  ASSERT_TRUE(c.admit(sha('a'), download(c, sha('a'), 150), 150).ok());  // pinned
  std::string temp = download(c, sha('b'), 100);
  Status st = c.admit(sha('b'), temp, 100);
  EXPECT_EQ(st.message(),
            "no room in the artifact cache for 100 B: 150 B of 200 B are held by tasks being "
            "launched");
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_TRUE(c.contains(sha('a')));
  c.unpin(sha('a'));
  EXPECT_TRUE(c.admit(sha('b'), download(c, sha('b'), 100), 100).ok());
  EXPECT_FALSE(c.contains(sha('a')));
}

TEST_F(ArtifactCacheTest, RefusesAnArtifactLargerThanTheCache) {
  ArtifactCache& c = open_cache(1024);
  std::string temp = download(c, sha('a'), 2048);
  Status st = c.admit(sha('a'), temp, 2048);
  EXPECT_EQ(st.message(),
            "it is 2.0 KiB (2048 bytes), larger than the whole artifact cache (1.0 KiB, "
            "--artifact-cache-size)");
  EXPECT_FALSE(fs::exists(temp));
}

TEST_F(ArtifactCacheTest, RestartRebuildsTheIndexInOrderOfUseAndDeletesPartialFiles) {
  const std::string& dir = dir_;
  for (char k : {'a', 'b'}) add(open_cache(1000), k, 100);
  // b is older than a on disk; a download cut short; a stray name.
  timeval old_times[2] = {{1000, 0}, {1000, 0}};
  ASSERT_EQ(::utimes((dir + "/" + sha('b')).c_str(), old_times), 0);
  testing::write_text(dir + "/.download-" + sha('c') + "-1-1", "half");
  testing::write_text(dir + "/not-a-sha", "x");

  ArtifactCache& c = open_cache(250);
  EXPECT_FALSE(fs::exists(dir + "/.download-" + sha('c') + "-1-1"));
  EXPECT_FALSE(fs::exists(dir + "/not-a-sha"));
  EXPECT_EQ(c.stats().entries, 2);
  EXPECT_EQ(c.stats().bytes, 200);
  ASSERT_TRUE(c.admit(sha('d'), download(c, sha('d'), 100), 100).ok());
  EXPECT_FALSE(c.contains(sha('b')));  // the least recently used
  EXPECT_TRUE(c.contains(sha('a')));
}

TEST_F(ArtifactCacheTest, ASmallerBoundAppliesAtOpen) {
  testing::write_text(dir_ + "/" + sha('a'), std::string(100, 'x'));
  testing::write_text(dir_ + "/" + sha('b'), std::string(100, 'x'));
  ArtifactCache& c = open_cache(150);
  EXPECT_EQ(c.stats().entries, 1);
  EXPECT_EQ(c.stats().bytes, 100);
}

}  // namespace
}  // namespace borealis::agent
