// SharedText: an immutable string that copies share, one pointer wide, and nothing at all
// when empty. A task's events hold their messages in it: most messages are empty, and a
// task keeps a few events inline (model.h), where each byte counts a million times.
//
// Threading: the count is not atomic; core thread only, like the model.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace borealis::scheduler {

inline const std::string& empty_text() {
  static const std::string kEmpty;
  return kEmpty;
}

class SharedText {
 public:
  SharedText() = default;
  explicit SharedText(std::string text)
      : block_(text.empty() ? nullptr : new Block{1, std::move(text)}) {}
  SharedText(const SharedText& other) : block_(other.block_) {
    if (block_) ++block_->refs;
  }
  SharedText(SharedText&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
  SharedText& operator=(SharedText other) noexcept {
    std::swap(block_, other.block_);
    return *this;
  }
  ~SharedText() {
    if (block_ && --block_->refs == 0) delete block_;
  }

  const std::string& str() const { return block_ ? block_->text : empty_text(); }

 private:
  struct Block {
    uint32_t refs;
    std::string text;
  };
  Block* block_ = nullptr;
};

}  // namespace borealis::scheduler
