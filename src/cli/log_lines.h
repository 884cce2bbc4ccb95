// Splitting a task's output into lines for `job tail`. The output is hostile: a line may
// be 10 MB long or never end, and the bytes need not be UTF-8. A LineCutter holds at most
// `max_line_bytes` of a line: the rest is dropped and the line is shown cut and marked.
// Lines come out as valid UTF-8 with control characters shown as ^X, so a task cannot
// drive the terminal.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace borealis::cli {

// `raw` as valid UTF-8 (bad bytes as U+FFFD) with control characters but tab in caret
// notation (ESC as ^[, DEL as ^?).
std::string printable_line(std::string_view raw);

class LineCutter {
 public:
  explicit LineCutter(size_t max_line_bytes) : max_(max_line_bytes) {}

  // Adds `bytes`; returns the lines they complete, printable, without their '\n'. A line
  // that reaches max_line_bytes comes out at once, cut and marked; its rest is skipped up
  // to its newline.
  std::vector<std::string> feed(std::string_view bytes);
  // The started line (printable), if any, and forgets it: the end of a stream.
  std::optional<std::string> flush();
  // Forgets the started line, e.g. when the output before it was skipped.
  void reset();

  // What marks a cut line: "LINE [cut: line longer than N bytes]".
  static std::string cut_mark(size_t max_line_bytes);

 private:
  size_t max_;
  std::string partial_;
  bool skipping_ = false;  // the current line was cut: drop bytes up to its newline
};

// The last `n` of `lines`.
std::vector<std::string> last_lines(std::vector<std::string> lines, size_t n);

}  // namespace borealis::cli
