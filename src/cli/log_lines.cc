#include "cli/log_lines.h"

#include "common/utf8.h"

namespace borealis::cli {

namespace {

// Removes a UTF-8 sequence cut short at the end of `s` (at most 3 bytes).
void drop_split_character(std::string& s) {
  for (size_t back = 1; back <= 3 && back <= s.size(); ++back) {
    auto b = static_cast<unsigned char>(s[s.size() - back]);
    if ((b & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    if (need > back) s.resize(s.size() - back);
    return;
  }
}

}  // namespace

std::string printable_line(std::string_view raw) {
  std::string valid = make_valid_utf8(raw);
  std::string out;
  out.reserve(valid.size());
  for (char c : valid) {
    auto b = static_cast<unsigned char>(c);
    if (b == '\t' || (b >= 0x20 && b != 0x7f)) {
      out.push_back(c);
    } else {
      out.push_back('^');
      out.push_back(b == 0x7f ? '?' : static_cast<char>(b + 0x40));
    }
  }
  return out;
}

std::string LineCutter::cut_mark(size_t max_line_bytes) {
  return " [cut: line longer than " + std::to_string(max_line_bytes) + " bytes]";
}

std::vector<std::string> LineCutter::feed(std::string_view bytes) {
  std::vector<std::string> lines;
  while (!bytes.empty()) {
    size_t nl = bytes.find('\n');
    std::string_view piece = bytes.substr(0, nl);
    bytes = nl == std::string_view::npos ? std::string_view() : bytes.substr(nl + 1);
    if (!skipping_) {
      size_t room = max_ - partial_.size();
      partial_.append(piece.substr(0, room));
      if (piece.size() >= room && (piece.size() > room || nl == std::string_view::npos)) {
        // Cut on a character boundary so the mark does not follow half a character.
        drop_split_character(partial_);
        std::string shown = printable_line(partial_);
        lines.push_back(shown + cut_mark(max_));
        partial_.clear();
        skipping_ = nl == std::string_view::npos;
        continue;
      }
    }
    if (nl == std::string_view::npos) break;
    if (!skipping_) lines.push_back(printable_line(partial_));
    partial_.clear();
    skipping_ = false;
  }
  return lines;
}

std::optional<std::string> LineCutter::flush() {
  if (partial_.empty()) return std::nullopt;
  std::string line = printable_line(partial_);
  reset();
  return line;
}

void LineCutter::reset() {
  partial_.clear();
  skipping_ = false;
}

std::vector<std::string> last_lines(std::vector<std::string> lines, size_t n) {
  if (lines.size() > n) lines.erase(lines.begin(), lines.end() - static_cast<ptrdiff_t>(n));
  return lines;
}

}  // namespace borealis::cli
