#include "scheduler/store/backup.h"

#include <openssl/evp.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

#include "common/json.h"
#include "common/strings.h"
#include "scheduler/store/store_tables.h"

namespace borealis::scheduler {

namespace {

constexpr std::string_view kMagic = "borealis-backup 1\n";
constexpr std::string_view kPrefix = "backup-";
constexpr std::string_view kSuffix = "Z.jsonl";
constexpr std::string_view kTempPrefix = ".tmp-backup-";
// A backup is read whole: bounded so a stray huge file cannot exhaust memory.
constexpr size_t kMaxBackupBytes = size_t{8} << 30;
constexpr size_t kFlushBytes = 4u << 20;

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr); }
  void update(std::string_view data) { EVP_DigestUpdate(ctx_.get(), data.data(), data.size()); }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_.get(), digest, &n);
    std::string out;
    char byte[3];
    for (unsigned int i = 0; i < n; ++i) {
      std::snprintf(byte, sizeof byte, "%02x", digest[i]);
      out += byte;
    }
    return out;
  }

 private:
  struct Free {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> ctx_;
};

// "backup-20261126T115012.345Z.jsonl" for 2026-11-26 11:50:12.345 UTC.
std::string backup_name(int64_t now_ms) {
  time_t secs = static_cast<time_t>(now_ms / 1000);
  tm utc{};
  gmtime_r(&secs, &utc);
  char buf[64];
  std::snprintf(buf, sizeof buf, "backup-%04d%02d%02dT%02d%02d%02d.%03dZ.jsonl", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(now_ms % 1000));
  return buf;
}

// The inverse of backup_name(), checking the shape digit by digit.
std::optional<int64_t> backup_time_ms(std::string_view name) {
  // backup-YYYYMMDDTHHMMSS.mmmZ.jsonl
  if (name.size() != kPrefix.size() + 19 + kSuffix.size() || !starts_with(name, kPrefix) ||
      name.substr(name.size() - kSuffix.size()) != kSuffix)
    return std::nullopt;
  std::string_view t = name.substr(kPrefix.size(), 19);
  for (size_t i = 0; i < t.size(); ++i) {
    bool digit = t[i] >= '0' && t[i] <= '9';
    if ((i == 8 && t[i] != 'T') || (i == 15 && t[i] != '.') || (i != 8 && i != 15 && !digit))
      return std::nullopt;
  }
  auto num = [&](size_t at, size_t len) {
    int v = 0;
    for (size_t i = at; i < at + len; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  tm utc{};
  utc.tm_year = num(0, 4) - 1900;
  utc.tm_mon = num(4, 2) - 1;
  utc.tm_mday = num(6, 2);
  utc.tm_hour = num(9, 2);
  utc.tm_min = num(11, 2);
  utc.tm_sec = num(13, 2);
  if (utc.tm_mon > 11 || utc.tm_mday < 1 || utc.tm_mday > 31 || utc.tm_hour > 23 ||
      utc.tm_min > 59 || utc.tm_sec > 60)
    return std::nullopt;
  return static_cast<int64_t>(timegm(&utc)) * 1000 + num(16, 3);
}

int table_index(std::string_view name) {
  for (int i = 0; i < kStoreTableCount; ++i)
    if (name == kStoreTables[i]) return i;
  return -1;
}

Status corrupt(const std::string& path, size_t line, const std::string& what) {
  return failed_precondition("backup " + path + " is corrupt at line " + std::to_string(line) +
                             ": " + what + "; nothing was restored");
}

}  // namespace

bool is_backup_name(std::string_view name) { return backup_time_ms(name).has_value(); }

Result<BackupInfo> write_backup(Env& env, const std::string& dir, const StoredState& state,
                                int64_t now_ms) {
  BOREALIS_RETURN_IF_ERROR(make_dirs(env, dir, 0700));
  BackupInfo info{backup_name(now_ms), 0, now_ms};
  const std::string path = dir + "/" + info.name;
  if (env.exists(path)) return already_exists("backup " + path + " exists already");
  const std::string temp = dir + "/" + std::string(kTempPrefix) + info.name;
  BOREALIS_ASSIGN_OR_RETURN(auto file, env.open_writable(temp, Env::WriteMode::kTruncate));
  Sha256 sum;
  std::string buf(kMagic);
  uint64_t rows = 0;
  auto flush = [&]() -> Status {
    sum.update(buf);
    info.size_bytes += buf.size();
    Status st = file->append(buf);
    buf.clear();
    return st;
  };
  const auto tables = rows_by_table(state);
  for (int i = 0; i < kStoreTableCount; ++i) {
    for (const auto& [id, data] : *tables[i]) {
      buf += "{\"table\":\"";
      buf += kStoreTables[i];
      buf += "\",\"id\":";
      append_json_string(buf, id);
      buf += ",\"data\":";
      append_json_string(buf, data);
      buf += "}\n";
      ++rows;
      if (buf.size() >= kFlushBytes) BOREALIS_RETURN_IF_ERROR(flush());
    }
  }
  BOREALIS_RETURN_IF_ERROR(flush());
  buf = "{\"end\":true,\"rows\":" + std::to_string(rows) + ",\"sha256\":\"" + sum.hex() + "\"}\n";
  info.size_bytes += buf.size();
  BOREALIS_RETURN_IF_ERROR(file->append(buf));
  BOREALIS_RETURN_IF_ERROR(file->sync());
  file.reset();
  BOREALIS_RETURN_IF_ERROR(env.rename(temp, path));
  BOREALIS_RETURN_IF_ERROR(env.sync_dir(dir));
  return info;
}

Result<std::vector<BackupInfo>> list_backups(Env& env, const std::string& dir) {
  std::vector<BackupInfo> out;
  if (!env.exists(dir)) return out;
  BOREALIS_ASSIGN_OR_RETURN(auto names, env.list_dir(dir));
  for (const std::string& name : names) {
    auto at = backup_time_ms(name);
    if (!at) continue;
    BOREALIS_ASSIGN_OR_RETURN(FileInfo st, env.stat(dir + "/" + name));
    if (st.is_directory) continue;
    out.push_back({name, st.size, *at});
  }
  std::sort(out.begin(), out.end(),
            [](const BackupInfo& a, const BackupInfo& b) { return a.name > b.name; });
  return out;
}

Status prune_backups(Env& env, const std::string& dir, size_t keep) {
  BOREALIS_ASSIGN_OR_RETURN(auto backups, list_backups(env, dir));
  for (size_t i = keep; i < backups.size(); ++i)
    BOREALIS_RETURN_IF_ERROR(env.remove(dir + "/" + backups[i].name));
  BOREALIS_ASSIGN_OR_RETURN(auto names, env.list_dir(dir));
  for (const std::string& name : names)
    if (starts_with(name, kTempPrefix)) BOREALIS_RETURN_IF_ERROR(env.remove(dir + "/" + name));
  return Status::ok_status();
}

Result<StoredState> read_backup(Env& env, const std::string& dir, const std::string& name) {
  if (!is_backup_name(name))
    return invalid_argument("'" + name +
                            "' is not a backup name (backup-YYYYMMDDTHHMMSS.mmmZ.jsonl, as "
                            "`borealis admin backup list` shows)");
  const std::string path = dir + "/" + name;
  BOREALIS_ASSIGN_OR_RETURN(std::string text, env.read_file(path, kMaxBackupBytes));
  if (!starts_with(text, kMagic))
    return corrupt(path, 1, "it does not start with '" + std::string(kMagic.substr(0, 17)) + "'");
  StoredState state;
  const auto tables = rows_by_table(state);
  Sha256 sum;
  size_t pos = kMagic.size();
  size_t line = 1;
  uint64_t rows = 0;
  while (true) {
    ++line;
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) return corrupt(path, line, "the file ends without its end line");
    std::string_view text_line(text.data() + pos, end - pos);
    auto parsed = parse_json(text_line);
    if (!parsed.ok() || !parsed->is_object())
      return corrupt(path, line,
                     parsed.ok() ? "not a JSON object" : std::string(parsed.status().message()));
    const json::object& obj = parsed->as_object();
    if (obj.contains("end")) {
      sum.update(std::string_view(text.data(), pos));
      const json::value* count = obj.if_contains("rows");
      const json::value* digest = obj.if_contains("sha256");
      if (!count || !count->is_int64() || count->as_int64() != static_cast<int64_t>(rows))
        return corrupt(
            path, line,
            "the end line's row count is not the " + std::to_string(rows) + " rows read");
      if (!digest || !digest->is_string() || digest->as_string() != sum.hex())
        return corrupt(path, line, "the checksum does not match the content");
      if (end + 1 != text.size()) return corrupt(path, line + 1, "data after the end line");
      return state;
    }
    const json::value* table = obj.if_contains("table");
    const json::value* id = obj.if_contains("id");
    const json::value* data = obj.if_contains("data");
    int index = table && table->is_string() ? table_index(table->as_string()) : -1;
    if (index < 0 || !id || !id->is_string() || !data || !data->is_string() || obj.size() != 3)
      return corrupt(path, line, "expected {\"table\": a store table, \"id\": ..., \"data\": ...}");
    tables[index]->emplace_back(std::string(id->as_string()), std::string(data->as_string()));
    ++rows;
    pos = end + 1;
  }
}

}  // namespace borealis::scheduler
