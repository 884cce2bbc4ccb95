// FileWatcher: inotify on many directories for one file name in each (the agent watches
// <sandbox>/.runner/ for "checkpoint"), so the agent learns of checkpoint writes without
// polling. The directory is watched rather than the file because the file appears only
// once the runner starts.
//
// Threading: lives on the loop thread of the io_context it is given; the callback runs
// there with the watches whose file changed since the last call (each once per batch),
// or with `overflow` set when the kernel dropped events (then every watch may have).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "common/result.h"

namespace borealis::agent {

class FileWatcher {
 public:
  using Callback = std::function<void(const std::set<int>& changed, bool overflow)>;

  static Result<std::unique_ptr<FileWatcher>> create(boost::asio::io_context& io,
                                                     std::string file_name, Callback callback);
  ~FileWatcher();
  FileWatcher(const FileWatcher&) = delete;
  FileWatcher& operator=(const FileWatcher&) = delete;

  // Watches `dir` for creation of and writes to its file; returns the watch id.
  Result<int> watch(const std::string& dir);
  void unwatch(int wd);

 private:
  FileWatcher(boost::asio::io_context& io, int fd, std::string file_name, Callback callback);
  void wait();
  void drain();

  boost::asio::posix::stream_descriptor fd_;
  std::string file_name_;
  Callback callback_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace borealis::agent
