// open_store(): the store URL's scheme picks the implementation; Store's default
// replace_all().
#include <unordered_set>

#include "common/strings.h"
#include "scheduler/store/pg_store.h"
#include "scheduler/store/sqlite_store.h"
#include "scheduler/store/store_tables.h"

namespace borealis::scheduler {

Result<std::unique_ptr<Store>> open_store(const std::string& url, const StoreOpenOptions& options) {
  const std::string sqlite = "sqlite://";
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    auto s = PgStore::open(url, PgStoreOptions{options.retry_window});
    if (!s.ok()) return s.status();
    return std::unique_ptr<Store>(std::move(s).value());
  }
  if (!starts_with(url, sqlite))
    return invalid_argument("store URL '" + url +
                            "' is not supported; use sqlite:///path/to/state.db or "
                            "postgresql://user@host:port/dbname");
  std::string path = url.substr(sqlite.size());
  if (path.empty()) return invalid_argument("store URL '" + url + "' names no file");
  auto s = SqliteStore::open(path);
  if (!s.ok()) return s.status();
  return std::unique_ptr<Store>(std::move(s).value());
}

Status Store::replace_all(const StoredState& state) {
  BOREALIS_ASSIGN_OR_RETURN(StoredState current, load());
  StoreBatch batch;
  const auto now = rows_by_table(current);
  const auto wanted = rows_by_table(state);
  auto deletes = deletes_by_table(batch);
  auto puts = puts_by_table(batch);
  for (int i = 0; i < kStoreTableCount; ++i) {
    std::unordered_set<std::string_view> keep;
    for (const auto& row : *wanted[i]) keep.insert(row.first);
    if (deletes[i])
      for (const auto& row : *now[i])
        if (!keep.count(row.first)) deletes[i]->push_back(row.first);
    *puts[i] = *wanted[i];
  }
  return apply({&batch});
}

}  // namespace borealis::scheduler
