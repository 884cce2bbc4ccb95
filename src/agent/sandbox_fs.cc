#include "agent/sandbox_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "agent/file_util.h"

namespace borealis::agent {

Result<Fd> open_in_sandbox(const std::string& root, std::string_view rel) {
  auto dir = open_directory(root);
  if (!dir.ok()) return not_found("sandbox " + root + " is gone");
  // No directory name in messages: they go to API callers, who name paths relatively.
  return open_beneath(*dir, "", rel, OpenIntent::kReadFileOrDir);
}

bool is_directory(const Fd& fd) {
  struct stat st {};
  return ::fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode);
}

Result<DirListing> list_directory(const Fd& dir, size_t max_entries) {
  int fd = ::dup(dir.get());
  if (fd < 0) return io_error("dup: " + errno_text(errno));
  DIR* d = ::fdopendir(fd);
  if (!d) {
    int err = errno;
    ::close(fd);
    return io_error("cannot list directory: " + errno_text(err));
  }
  ::rewinddir(d);
  DirListing listing;
  std::vector<DirEntry>& out = listing.entries;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    if (out.size() >= max_entries) {
      listing.truncated = true;
      break;
    }
    DirEntry entry;
    entry.name = name;
    struct stat st {};
    if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
      entry.type = S_ISREG(st.st_mode)   ? "file"
                   : S_ISDIR(st.st_mode) ? "directory"
                   : S_ISLNK(st.st_mode) ? "symlink"
                                         : "other";
      entry.size = st.st_size;
      entry.mtime_ms = static_cast<TimeMs>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
    } else {
      entry.type = "other";
    }
    out.push_back(std::move(entry));
  }
  ::closedir(d);
  std::sort(out.begin(), out.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return listing;
}

Result<FileChunk> read_chunk(const Fd& file, int64_t offset, int64_t length) {
  struct stat st {};
  if (::fstat(file.get(), &st) != 0) return io_error("fstat: " + errno_text(errno));
  FileChunk chunk;
  chunk.size = st.st_size;
  if (offset < 0) offset = std::max<int64_t>(0, chunk.size + offset);
  chunk.offset = offset;
  if (length <= 0 || offset >= chunk.size) return chunk;
  int64_t want = std::min(length, chunk.size - offset);
  auto data = read_at_most(file, offset, static_cast<size_t>(want));
  if (!data.ok()) return data.status();
  chunk.data = std::move(data).value();
  return chunk;
}

}  // namespace borealis::agent
