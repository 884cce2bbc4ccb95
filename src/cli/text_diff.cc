#include "cli/text_diff.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace borealis::cli {

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) {
      out.push_back(text);
      break;
    }
    out.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  return out;
}

struct Op {
  char kind;                  // ' ', '-', '+'
  size_t old_line, new_line;  // 0-based positions before this op
  std::string_view text;
};

// The edit script from a longest common subsequence of lines.
std::vector<Op> edit_script(const std::vector<std::string_view>& a,
                            const std::vector<std::string_view>& b) {
  const size_t n = a.size(), m = b.size();
  std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
  auto at = [&](size_t i, size_t j) -> uint32_t& { return lcs[i * (m + 1) + j]; };
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      at(i, j) = a[i] == b[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
  std::vector<Op> ops;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      ops.push_back({' ', i, j, a[i]});
      ++i, ++j;
    } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
      ops.push_back({'-', i, j, a[i]});  // removals before additions, as diff -u shows them
      ++i;
    } else {
      ops.push_back({'+', i, j, b[j]});
      ++j;
    }
  }
  return ops;
}

std::string range(size_t start, size_t count) {
  // diff -u: 1-based start; an empty range names the line before it.
  std::string s = std::to_string(count == 0 ? start : start + 1);
  if (count != 1) s += "," + std::to_string(count);
  return s;
}

}  // namespace

std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         const std::string& old_name, const std::string& new_name, size_t context) {
  std::vector<Op> ops = edit_script(lines_of(old_text), lines_of(new_text));
  std::vector<size_t> changes;
  for (size_t k = 0; k < ops.size(); ++k)
    if (ops[k].kind != ' ') changes.push_back(k);
  if (changes.empty()) return "";

  std::string out = "--- " + old_name + "\n+++ " + new_name + "\n";
  size_t c = 0;
  while (c < changes.size()) {
    // A hunk: changes closer than 2*context lines apart share one.
    size_t last = c;
    while (last + 1 < changes.size() && changes[last + 1] - changes[last] <= 2 * context + 1)
      ++last;
    size_t begin = changes[c] > context ? changes[c] - context : 0;
    size_t end = std::min(ops.size(), changes[last] + context + 1);
    size_t old_count = 0, new_count = 0;
    for (size_t k = begin; k < end; ++k) {
      old_count += ops[k].kind != '+';
      new_count += ops[k].kind != '-';
    }
    out += "@@ -" + range(ops[begin].old_line, old_count) + " +" +
           range(ops[begin].new_line, new_count) + " @@\n";
    for (size_t k = begin; k < end; ++k) {
      out += ops[k].kind;
      out += ops[k].text;
      out += '\n';
    }
    c = last + 1;
  }
  return out;
}

}  // namespace borealis::cli
