// ArtifactCache: the agent's store of verified artifacts (docs/artifacts.md). A directory,
// root's and 0700, holding one file per artifact named by its sha256 (mode 0555), bounded
// in total size: admitting a file evicts the least recently used entries that no launching
// task holds (a pin). Downloads land in the same directory under a name starting with
// '.', so open() (at agent start) deletes what a crash left half written and rebuilds the
// index from the names and sizes it finds; the order of use survives in the files' mtimes.
//
// Files are trusted by name: only the agent writes the directory, and it renames a file
// to its sha256 only after hashing what it wrote.
//
// Threading: not thread-safe; the agent uses it on its loop thread only. Downloads run
// elsewhere and write temporary files only; admitting them is a rename.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "common/result.h"

namespace borealis::agent {

struct ArtifactCacheStats {
  int64_t hits = 0;       // an artifact a launch needed was already here
  int64_t misses = 0;     // it had to be fetched
  int64_t evictions = 0;  // entries deleted to make room
  int64_t bytes = 0;      // the size of every entry
  int64_t entries = 0;
};

class ArtifactCache {
 public:
  // Creates `dir` (0700) when missing, deletes leftovers of downloads and builds the index.
  static Result<std::unique_ptr<ArtifactCache>> open(const std::string& dir, int64_t max_bytes);

  const std::string& dir() const { return dir_; }
  int64_t max_bytes() const { return max_bytes_; }
  std::string path_of(const std::string& sha256) const { return dir_ + "/" + sha256; }
  // A name in dir() for a download of `sha256` (unique within this process).
  std::string temp_path(const std::string& sha256);

  // When present: pins the entry, marks it used and counts a hit. Else counts a miss.
  bool acquire(const std::string& sha256);
  // Renames the verified download `temp_path` of `size` bytes into place and pins it,
  // evicting unpinned entries as needed. Refused (and the file deleted) when it is larger
  // than the whole cache or when pinned entries leave no room; the message says the sizes.
  Status admit(const std::string& sha256, const std::string& temp_path, int64_t size);
  // One more pin of a present entry (a second launch that waited for the same download).
  void pin(const std::string& sha256);
  // Releases one pin of acquire() or admit().
  void unpin(const std::string& sha256);

  const ArtifactCacheStats& stats() const { return stats_; }
  bool contains(const std::string& sha256) const { return entries_.contains(sha256); }

 private:
  struct Entry {
    int64_t size = 0;
    int64_t last_use = 0;  // larger = more recent
    int pins = 0;
  };
  ArtifactCache(std::string dir, int64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {}
  Status scan();
  void touch(const std::string& sha256, Entry& e);
  // Evicts unpinned entries, least recently used first, until `incoming` more bytes fit.
  bool make_room(int64_t incoming);

  std::string dir_;
  int64_t max_bytes_;
  std::map<std::string, Entry> entries_;
  int64_t use_clock_ = 0;
  uint64_t temp_counter_ = 0;
  ArtifactCacheStats stats_;
};

// "12.3 MiB", for messages.
std::string human_bytes(int64_t bytes);

}  // namespace borealis::agent
