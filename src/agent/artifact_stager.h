// ArtifactStager: gets a task's artifacts into its sandbox before the runner starts
// (docs/artifacts.md). For each artifact it takes the cache's verified copy or fetches it
// (one download per sha256, however many launches wait for it), then places every file at
// `<task dir>/sandbox/<name>`, root's and 0555, as a hard link to the cache entry (a copy
// when the cache is on another file system). Entries are pinned from the moment a launch
// needs them until they are placed, so eviction never removes a file being installed.
//
// Threading: stage() and its callbacks run on the agent's loop thread; downloads and
// installs run on the stager's small worker pool, so the loop never blocks on the network
// or on copying.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agent/artifact_cache.h"
#include "agent/artifact_fetcher.h"
#include "jobspec/job_spec.h"

namespace borealis::agent {

// The agent's --artifact-* flags.
struct ArtifactOptions {
  std::string cache_dir;                    // "" = <work dir>/artifacts
  int64_t cache_bytes = int64_t{4} << 30;   // --artifact-cache-size
  std::chrono::seconds fetch_timeout{600};  // --artifact-fetch-timeout
};

class ArtifactStager {
 public:
  // `done(status)`: every artifact is in the sandbox, or the first failure, as "artifact
  // 'NAME': what went wrong".
  using Done = std::function<void(Status)>;
  // `progress(message)`: "fetching artifact NAME" when a download starts for this task.
  using Progress = std::function<void(const std::string&)>;

  ArtifactStager(boost::asio::io_context& io, std::unique_ptr<ArtifactCache> cache,
                 std::chrono::seconds fetch_timeout, int workers = 2);
  ~ArtifactStager();
  ArtifactStager(const ArtifactStager&) = delete;
  ArtifactStager& operator=(const ArtifactStager&) = delete;

  void stage(const std::string& task_dir, const std::vector<jobspec::Artifact>& artifacts,
             Progress progress, Done done);

  const ArtifactCache& cache() const { return *cache_; }

 private:
  struct Launch;
  struct Download {
    std::vector<std::shared_ptr<Launch>> waiters;
  };
  void start_download(const jobspec::Artifact& artifact);
  void on_downloaded(const std::string& sha256, const std::string& temp_path, Result<int64_t> size);
  void on_ready(const std::shared_ptr<Launch>& launch, const std::string& sha256, Status status);
  void install(const std::shared_ptr<Launch>& launch);

  boost::asio::io_context& io_;
  std::unique_ptr<ArtifactCache> cache_;
  std::chrono::seconds fetch_timeout_;
  std::map<std::string, Download> downloads_;  // by sha256, in flight
  std::atomic<bool> cancelled_{false};         // downloads give up when the stager goes
  boost::asio::thread_pool pool_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// Places `artifacts` (each verified at `cache_paths[i]`) in `<task_dir>/sandbox/`, which it
// creates (root's, 0750; the runner hands it to the task's user later). Blocking.
Status install_artifacts(const std::string& task_dir,
                         const std::vector<jobspec::Artifact>& artifacts,
                         const std::vector<std::string>& cache_paths);

}  // namespace borealis::agent
