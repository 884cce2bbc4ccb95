#include "scheduler/store/fault_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <string>

namespace borealis::scheduler {

namespace {

sqlite3_vfs* real_vfs() { return sqlite3_vfs_find(nullptr); }

// Our file, followed in the same allocation by the default VFS's file.
struct ShimFile {
  sqlite3_file base;
  std::string* path;  // owned; the name SQLite opened
  int last_errno;     // of the last injected failure, as the unix VFS keeps it
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

ShimFile* shim(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f); }
sqlite3_file* real(sqlite3_file* f) { return shim(f)->real(); }

int shim_close(sqlite3_file* f) {
  int rc = real(f)->pMethods ? real(f)->pMethods->xClose(real(f)) : SQLITE_OK;
  delete shim(f)->path;
  return rc;
}
int shim_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return real(f)->pMethods->xRead(real(f), buf, n, off);
}
int shim_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  auto fault = FaultVfs::get().take(FaultOp::kWrite, *shim(f)->path);
  if (!fault) return real(f)->pMethods->xWrite(real(f), buf, n, off);
  if (fault->torn_after) {
    int landed = static_cast<int>(std::min<size_t>(*fault->torn_after, static_cast<size_t>(n)));
    if (int rc = real(f)->pMethods->xWrite(real(f), buf, landed, off); rc != SQLITE_OK) return rc;
  }
  // As the unix VFS: ENOSPC is SQLITE_FULL and not a system error.
  shim(f)->last_errno = fault->error == ENOSPC ? 0 : fault->error;
  return fault->error == ENOSPC ? SQLITE_FULL : SQLITE_IOERR_WRITE;
}
int shim_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return real(f)->pMethods->xTruncate(real(f), size);
}
int shim_sync(sqlite3_file* f, int flags) {
  if (auto fault = FaultVfs::get().take(FaultOp::kSync, *shim(f)->path)) {
    shim(f)->last_errno = fault->error;
    return SQLITE_IOERR_FSYNC;
  }
  return real(f)->pMethods->xSync(real(f), flags);
}
int shim_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return real(f)->pMethods->xFileSize(real(f), size);
}
int shim_lock(sqlite3_file* f, int level) { return real(f)->pMethods->xLock(real(f), level); }
int shim_unlock(sqlite3_file* f, int level) { return real(f)->pMethods->xUnlock(real(f), level); }
int shim_check_reserved(sqlite3_file* f, int* out) {
  return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
int shim_file_control(sqlite3_file* f, int op, void* arg) {
  if (op == SQLITE_FCNTL_LAST_ERRNO && shim(f)->last_errno != 0) {
    *static_cast<int*>(arg) = shim(f)->last_errno;
    return SQLITE_OK;
  }
  return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int shim_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int shim_device_characteristics(sqlite3_file* f) {
  return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
int shim_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return real(f)->pMethods->xShmMap(real(f), page, size, extend, out);
}
int shim_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void shim_shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
int shim_shm_unmap(sqlite3_file* f, int del) { return real(f)->pMethods->xShmUnmap(real(f), del); }
int shim_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
  return real(f)->pMethods->xFetch(real(f), off, n, out);
}
int shim_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  return real(f)->pMethods->xUnfetch(real(f), off, p);
}

const sqlite3_io_methods kShimMethods = {
    3,
    shim_close,
    shim_read,
    shim_write,
    shim_truncate,
    shim_sync,
    shim_file_size,
    shim_lock,
    shim_unlock,
    shim_check_reserved,
    shim_file_control,
    shim_sector_size,
    shim_device_characteristics,
    shim_shm_map,
    shim_shm_lock,
    shim_shm_barrier,
    shim_shm_unmap,
    shim_fetch,
    shim_unfetch,
};

int vfs_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  ShimFile* s = shim(f);
  s->base.pMethods = nullptr;
  s->path = nullptr;
  s->last_errno = 0;
  int rc = real_vfs()->xOpen(real_vfs(), name, s->real(), flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  // Only version-3 methods (the unix VFS's) are wrapped whole; SQLite checks iVersion.
  if (!s->real()->pMethods || s->real()->pMethods->iVersion < 3) {
    if (s->real()->pMethods) s->real()->pMethods->xClose(s->real());
    return SQLITE_CANTOPEN;
  }
  s->path = new std::string(name ? name : "");
  s->base.pMethods = &kShimMethods;
  return SQLITE_OK;
}
int vfs_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return real_vfs()->xDelete(real_vfs(), name, sync_dir);
}
int vfs_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return real_vfs()->xAccess(real_vfs(), name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return real_vfs()->xFullPathname(real_vfs(), name, n, out);
}
int vfs_randomness(sqlite3_vfs*, int n, char* out) {
  return real_vfs()->xRandomness(real_vfs(), n, out);
}
int vfs_sleep(sqlite3_vfs*, int us) { return real_vfs()->xSleep(real_vfs(), us); }
int vfs_current_time(sqlite3_vfs*, double* out) {
  return real_vfs()->xCurrentTime(real_vfs(), out);
}
int vfs_get_last_error(sqlite3_vfs*, int n, char* out) {
  return real_vfs()->xGetLastError(real_vfs(), n, out);
}
int vfs_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return real_vfs()->xCurrentTimeInt64(real_vfs(), out);
}

}  // namespace

FaultVfs& FaultVfs::get() {
  static FaultVfs* vfs = [] {
    static sqlite3_vfs shim_vfs{};
    shim_vfs.iVersion = 2;
    shim_vfs.szOsFile = static_cast<int>(sizeof(ShimFile)) + real_vfs()->szOsFile;
    shim_vfs.mxPathname = real_vfs()->mxPathname;
    shim_vfs.zName = kName;
    shim_vfs.xOpen = vfs_open;
    shim_vfs.xDelete = vfs_delete;
    shim_vfs.xAccess = vfs_access;
    shim_vfs.xFullPathname = vfs_full_pathname;
    shim_vfs.xRandomness = vfs_randomness;
    shim_vfs.xSleep = vfs_sleep;
    shim_vfs.xCurrentTime = vfs_current_time;
    shim_vfs.xGetLastError = vfs_get_last_error;
    shim_vfs.xCurrentTimeInt64 = vfs_current_time_int64;
    sqlite3_vfs_register(&shim_vfs, /*makeDflt=*/0);
    return new FaultVfs();
  }();
  return *vfs;
}

}  // namespace borealis::scheduler
