#include "cli/table.h"

#include <algorithm>

namespace borealis::cli {

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (std::string& c : cells)
    if (c.empty()) c.push_back('-');  // (not c = "-": g++ 12 -Wrestrict false positive)
  rows_.push_back(std::move(cells));
}

std::string Table::render() const {
  std::vector<size_t> width(headers_.size());
  for (size_t i = 0; i < headers_.size(); ++i) width[i] = headers_[i].size();
  for (const auto& row : rows_)
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());

  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    // The last cell is not padded, so lines carry no trailing spaces.
    size_t last = cells.size();
    for (size_t i = 0; i < last; ++i) {
      out.append(cells[i]);
      if (i + 1 < last) out.append(width[i] - cells[i].size() + 2, ' ');
    }
    out.push_back('\n');
  };
  line(headers_);
  for (const auto& row : rows_) line(row);
  return out;
}

}  // namespace borealis::cli
