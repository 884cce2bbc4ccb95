// Store backups (docs/api.md, "Backups"; docs/operations.md): what the admin routes answer.
//
//   GET  /api/v1/admin/backups               {"dir": "...", "backups": [BackupEntry, ...]}
//   POST /api/v1/admin/backups               {"backup": BackupEntry}
//   POST /api/v1/admin/backups/NAME/restore  {"restored": BackupEntry, "message": "..."}
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/codec.h"
#include "common/clock.h"

namespace borealis::api {

struct BackupEntry {
  std::string name;  // backup-YYYYMMDDTHHMMSS.mmmZ.jsonl; required
  int64_t size_bytes = 0;
  TimeMs created_ms = 0;  // UTC, from the name
  bool operator==(const BackupEntry&) const = default;
};

// GET: newest first.
struct BackupList {
  std::string dir;  // the scheduler's --backup-dir
  std::vector<BackupEntry> backups;
  bool operator==(const BackupList&) const = default;
};
BOREALIS_API_CODEC(BackupList);

// POST (take one now).
struct BackupTaken {
  BackupEntry backup;
  bool operator==(const BackupTaken&) const = default;
};
BOREALIS_API_CODEC(BackupTaken);

// POST .../restore: the store holds the backup's rows; the scheduler exits to restart
// from them (`message` says so).
struct BackupRestored {
  BackupEntry restored;
  std::string message;
  bool operator==(const BackupRestored&) const = default;
};
BOREALIS_API_CODEC(BackupRestored);

}  // namespace borealis::api
