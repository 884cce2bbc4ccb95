// The documents GET /api/v1/prometheus/targets answers with (one per ?role=, "" for every
// role), each kept with the state version it was built from (SchedulerService::
// state_version()), so that a poll of an unchanged cluster neither walks the jobs nor
// serializes and hashes the document again: a Prometheus server polls every 30-60 s, and
// most polls end in a 304.
//
// Bounded: only the documents of the newest version are kept, at most kMaxDocuments of
// them (one per role asked for); beyond that a document is built for each poll.
//
// Thread-safety: any thread (a mutex): looked up on the core thread, filled on the HTTP
// thread where documents are built.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace borealis::scheduler {

class PrometheusTargetsCache {
 public:
  static constexpr size_t kMaxDocuments = 256;

  struct Document {
    std::string body;
    std::string etag;
  };

  // The document for `role` built at `version`, or null (counted as a miss).
  std::shared_ptr<const Document> find(uint64_t version, const std::string& role) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = version == version_ ? documents_.find(role) : documents_.end();
    if (it == documents_.end()) {
      ++misses_;
      return nullptr;
    }
    ++hits_;
    return it->second;
  }

  // Keeps `doc` for `role` as built at `version`; a newer version drops the older one's
  // documents, and a document of an older version is not kept.
  void keep(uint64_t version, const std::string& role, std::shared_ptr<const Document> doc) {
    std::lock_guard<std::mutex> lock(mu_);
    if (version < version_) return;
    if (version > version_) {
      documents_.clear();
      version_ = version;
    }
    if (documents_.size() >= kMaxDocuments && !documents_.contains(role)) return;
    documents_[role] = std::move(doc);
  }

  uint64_t hits() const {
    std::lock_guard<std::mutex> lock(mu_);
    return hits_;
  }
  uint64_t misses() const {
    std::lock_guard<std::mutex> lock(mu_);
    return misses_;
  }

 private:
  mutable std::mutex mu_;
  uint64_t version_ = 0;
  std::map<std::string, std::shared_ptr<const Document>> documents_;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

}  // namespace borealis::scheduler
