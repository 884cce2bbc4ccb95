#include "agent/artifact_stager.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <cerrno>

#include "agent/file_util.h"
#include "common/beneath.h"
#include "common/log.h"
#include "jobspec/artifacts.h"
#include "taskcontract/sandbox_layout.h"

namespace borealis::agent {

namespace asio = boost::asio;

struct ArtifactStager::Launch {
  std::string task_dir;
  std::vector<jobspec::Artifact> artifacts;
  std::map<std::string, std::string> names;  // sha256 -> the first file name needing it
  std::vector<std::string> pinned;           // one entry per pin taken
  size_t remaining = 0;
  Status status;
  Done done;
};

namespace {

// Copies `from` into a new file `name` beneath `dir` (the cache is on another file system).
Status copy_into(const std::string& from, const Fd& dir, const std::string& name) {
  Fd in(::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!in.valid()) return io_error("cannot open " + from + ": " + errno_text(errno));
  Fd out(::openat(dir.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  kArtifactMode));
  if (!out.valid() || ::fchmod(out.get(), kArtifactMode) != 0)
    return io_error("cannot create " + name + ": " + errno_text(errno));
  char buffer[64 * 1024];
  while (true) {
    ssize_t n = ::read(in.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read " + from + ": " + errno_text(errno));
    if (n == 0) break;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::write(out.get(), buffer + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return io_error("cannot write " + name + ": " + errno_text(errno));
      done += w;
    }
  }
  return Status();
}

}  // namespace

Status install_artifacts(const std::string& task_dir,
                         const std::vector<jobspec::Artifact>& artifacts,
                         const std::vector<std::string>& cache_paths) {
  BOREALIS_ASSIGN_OR_RETURN(Fd dir, open_directory(task_dir));
  if (::mkdirat(dir.get(), taskcontract::kWorkDir, taskcontract::kWorkDirMode) != 0 &&
      errno != EEXIST)
    return io_error("cannot create " + taskcontract::work_dir_of(task_dir) + ": " +
                    errno_text(errno));
  BOREALIS_ASSIGN_OR_RETURN(
      Fd work, open_beneath(dir, task_dir, taskcontract::kWorkDir, OpenIntent::kDirectory));
  for (size_t i = 0; i < artifacts.size(); ++i) {
    std::string name = jobspec::artifact_file_name(artifacts[i]);
    Status placed;
    // The cache entry is root's and 0555: the link is the same read-only inode.
    if (::linkat(AT_FDCWD, cache_paths[i].c_str(), work.get(), name.c_str(), 0) != 0) {
      int err = errno;
      placed = err == EXDEV ? copy_into(cache_paths[i], work, name)
                            : io_error("cannot link " + cache_paths[i] + ": " + errno_text(err));
    }
    if (!placed.ok()) return Status(placed.code(), "artifact '" + name + "': " + placed.message());
  }
  return Status();
}

ArtifactStager::ArtifactStager(asio::io_context& io, std::unique_ptr<ArtifactCache> cache,
                               std::chrono::seconds fetch_timeout, int workers)
    : io_(io), cache_(std::move(cache)), fetch_timeout_(fetch_timeout), pool_(workers) {}

ArtifactStager::~ArtifactStager() {
  *alive_ = false;
  cancelled_.store(true);
  pool_.join();
}

void ArtifactStager::stage(const std::string& task_dir,
                           const std::vector<jobspec::Artifact>& artifacts, Progress progress,
                           Done done) {
  auto launch = std::make_shared<Launch>();
  launch->task_dir = task_dir;
  launch->artifacts = artifacts;
  launch->remaining = artifacts.size();
  launch->done = std::move(done);
  if (artifacts.empty()) {
    launch->done(Status());
    return;
  }
  for (const auto& a : artifacts) {
    launch->names.emplace(a.sha256, jobspec::artifact_file_name(a));
    if (cache_->acquire(a.sha256)) {
      launch->pinned.push_back(a.sha256);
      on_ready(launch, a.sha256, Status());
      continue;
    }
    auto [it, fresh] = downloads_.try_emplace(a.sha256);
    it->second.waiters.push_back(launch);
    if (fresh) start_download(a);
    if (progress) progress("fetching artifact " + jobspec::artifact_file_name(a));
  }
}

void ArtifactStager::start_download(const jobspec::Artifact& artifact) {
  std::string temp = cache_->temp_path(artifact.sha256);
  FetchLimits limits{cache_->max_bytes(), fetch_timeout_, &cancelled_};
  spdlog::info("artifact cache: fetching {} ({})", artifact.uri, artifact.sha256);
  asio::post(pool_, [this, artifact, temp, limits, alive = alive_] {
    Result<int64_t> size = download_artifact(artifact, temp, limits);
    asio::post(io_, [this, sha = artifact.sha256, temp, size = std::move(size), alive]() mutable {
      if (!*alive) {
        ::unlink(temp.c_str());
        return;
      }
      on_downloaded(sha, temp, std::move(size));
    });
  });
}

void ArtifactStager::on_downloaded(const std::string& sha256, const std::string& temp_path,
                                   Result<int64_t> size) {
  auto node = downloads_.extract(sha256);
  if (node.empty()) return;
  std::vector<std::shared_ptr<Launch>> waiters = std::move(node.mapped().waiters);
  Status status = size.ok() ? cache_->admit(sha256, temp_path, *size) : size.status();
  if (!status.ok()) spdlog::warn("artifact cache: {}: {}", sha256, status.message());
  for (size_t i = 0; i < waiters.size(); ++i) {
    if (status.ok()) {
      // admit() took the first waiter's pin.
      if (i > 0) cache_->pin(sha256);
      waiters[i]->pinned.push_back(sha256);
    }
    on_ready(waiters[i], sha256, status);
  }
}

void ArtifactStager::on_ready(const std::shared_ptr<Launch>& launch, const std::string& sha256,
                              Status status) {
  if (!status.ok() && launch->status.ok())
    launch->status =
        Status(status.code(), "artifact '" + launch->names[sha256] + "': " + status.message());
  if (--launch->remaining > 0) return;
  if (!launch->status.ok()) {
    for (const auto& sha : launch->pinned) cache_->unpin(sha);
    launch->done(launch->status);
    return;
  }
  install(launch);
}

void ArtifactStager::install(const std::shared_ptr<Launch>& launch) {
  std::vector<std::string> paths;
  for (const auto& a : launch->artifacts) paths.push_back(cache_->path_of(a.sha256));
  asio::post(pool_, [this, launch, paths = std::move(paths), alive = alive_] {
    Status st = install_artifacts(launch->task_dir, launch->artifacts, paths);
    asio::post(io_, [this, launch, st, alive] {
      if (!*alive) return;
      for (const auto& sha : launch->pinned) cache_->unpin(sha);
      launch->done(st);
    });
  });
}

}  // namespace borealis::agent
