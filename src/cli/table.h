// Aligned plain-text tables for human output: columns separated by two spaces, padded to
// the widest cell, no trailing spaces; an empty cell prints as "-".
#pragma once

#include <string>
#include <vector>

namespace borealis::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  void add_row(std::vector<std::string> cells);  // missing trailing cells are empty
  bool empty() const { return rows_.empty(); }
  std::string render() const;  // header line, then one line per row, each ending in '\n'

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace borealis::cli
