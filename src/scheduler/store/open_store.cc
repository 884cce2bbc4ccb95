// open_store(): the store URL's scheme picks the implementation.
#include "common/strings.h"
#include "scheduler/store/pg_store.h"
#include "scheduler/store/sqlite_store.h"

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

}  // namespace borealis::scheduler
