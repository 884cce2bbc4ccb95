#include "testing/in_memory_store.h"

namespace borealis::testing {

Result<scheduler::StoredState> InMemoryStore::load() {
  std::lock_guard<std::mutex> lock(mu_);
  return rows_.load();
}

Status InMemoryStore::apply(const std::vector<const scheduler::StoreBatch*>& batches) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const scheduler::StoreBatch* b : batches) rows_.apply(*b);
  return Status();
}

Result<uint64_t> InMemoryStore::claim_epoch() {
  std::lock_guard<std::mutex> lock(mu_);
  return ++epoch_;
}

}  // namespace borealis::testing
