// Store backups: a consistent snapshot of every table (one load()) in a file of our own,
// written atomically (temporary file, fsync, rename, directory fsync) and named by its UTC
// time, so names sort oldest first: backup-20261126T115012.345Z.jsonl.
//
// Format (version 1), one line each:
//   borealis-backup 1
//   {"table":"tasks","id":"...","data":"..."}      one per row; data is the row's JSON text
//   {"end":true,"rows":N,"sha256":"<hex>"}         sha256 of every byte before this line
// A file without its end line, with a wrong count or checksum, an unknown table or a line
// that is not such JSON is refused as a whole before anything is restored from it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/env.h"
#include "common/result.h"
#include "scheduler/core/store_batch.h"

namespace borealis::scheduler {

struct BackupInfo {
  std::string name;  // a plain file name in the backup directory
  uint64_t size_bytes = 0;
  int64_t created_ms = 0;  // from the name: milliseconds since the epoch, UTC
};

// True for names write_backup() makes, and nothing else (no '/', no "..", no other files).
bool is_backup_name(std::string_view name);

// Writes `state` to a new backup in `dir` (created if missing) named after `now_ms`.
Result<BackupInfo> write_backup(Env& env, const std::string& dir, const StoredState& state,
                                int64_t now_ms);

// The backups in `dir`, newest first; an absent directory has none.
Result<std::vector<BackupInfo>> list_backups(Env& env, const std::string& dir);

// Removes all but the newest `keep` backups (and temporary files of interrupted writes).
Status prune_backups(Env& env, const std::string& dir, size_t keep);

// Reads and checks the backup `name` in `dir`. kInvalidArgument for a name that is not a
// backup's, kNotFound when missing, kFailedPrecondition (naming the line) when corrupt.
Result<StoredState> read_backup(Env& env, const std::string& dir, const std::string& name);

}  // namespace borealis::scheduler
