#include "scheduler/store/pg_wire.h"

#include <arpa/inet.h>

#include <cstring>

namespace borealis::scheduler {

namespace {

constexpr uint32_t kTextOid = 25;
constexpr std::string_view kCopySignature("PGCOPY\n\377\r\n\0", 11);

void put_u32(std::string& out, uint32_t v) {
  uint32_t n = htonl(v);
  out.append(reinterpret_cast<const char*>(&n), 4);
}

// Big-endian integers from `in` at `pos`, advancing it; false when too few bytes remain.
bool get_u32(std::string_view in, size_t& pos, uint32_t& v) {
  if (in.size() - pos < 4) return false;
  uint32_t n;
  std::memcpy(&n, in.data() + pos, 4);
  v = ntohl(n);
  pos += 4;
  return true;
}

bool get_u16(std::string_view in, size_t& pos, uint16_t& v) {
  if (in.size() - pos < 2) return false;
  uint16_t n;
  std::memcpy(&n, in.data() + pos, 2);
  v = ntohs(n);
  pos += 2;
  return true;
}

bool get_field(std::string_view in, size_t& pos, std::string& out) {
  uint32_t len;
  if (!get_u32(in, pos, len)) return false;
  // 0xffffffff is NULL, which the schema forbids; anything longer than what is left is a
  // lie about the length.
  if (len == 0xffffffffu || in.size() - pos < len) return false;
  out.assign(in.data() + pos, len);
  pos += len;
  return true;
}

}  // namespace

void TextArray::add(std::string_view element) {
  put_u32(elements_, static_cast<uint32_t>(element.size()));
  elements_.append(element);
  ++count_;
}

const std::string& TextArray::finish() {
  wire_.clear();
  wire_.reserve(20 + elements_.size());
  put_u32(wire_, 1);  // dimensions
  put_u32(wire_, 0);  // no NULLs
  put_u32(wire_, kTextOid);
  put_u32(wire_, static_cast<uint32_t>(count_));
  put_u32(wire_, 1);  // lower bound
  wire_ += elements_;
  return wire_;
}

Status CopyReader::feed(std::string_view message, std::vector<Row>& rows) {
  size_t pos = 0;
  if (finished_) return io_error("COPY data after its end marker");
  if (!header_seen_) {
    uint32_t flags, extension;
    if (message.substr(0, kCopySignature.size()) != kCopySignature)
      return io_error("COPY data does not start with the binary signature");
    pos = kCopySignature.size();
    if (!get_u32(message, pos, flags) || !get_u32(message, pos, extension) ||
        message.size() - pos < extension)
      return io_error("COPY header is truncated");
    pos += extension;
    header_seen_ = true;
  }
  while (pos < message.size()) {
    uint16_t fields;
    if (!get_u16(message, pos, fields)) return io_error("COPY row is truncated");
    if (fields == 0xffff) {
      finished_ = true;
      if (pos != message.size()) return io_error("COPY data after its end marker");
      return Status::ok_status();
    }
    if (fields != 2)
      return io_error("COPY row has " + std::to_string(fields) + " fields; expected id and data");
    Row row;
    if (!get_field(message, pos, row.first) || !get_field(message, pos, row.second))
      return io_error("COPY row is truncated or has a NULL");
    rows.push_back(std::move(row));
  }
  return Status::ok_status();
}

}  // namespace borealis::scheduler
