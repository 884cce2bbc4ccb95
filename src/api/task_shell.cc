#include "api/task_shell.h"

#include <cctype>

namespace borealis::api {

namespace {

void put_u32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

uint32_t get_u32(std::string_view in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

bool known_type(uint8_t t) {
  switch (static_cast<ShellFrameType>(t)) {
    case ShellFrameType::kInput:
    case ShellFrameType::kResize:
    case ShellFrameType::kOutput:
    case ShellFrameType::kExit:
      return true;
  }
  return false;
}

}  // namespace

std::string encode_shell_frame(ShellFrameType type, std::string_view payload) {
  std::string out;
  out.reserve(kTaskShellFrameHeaderBytes + payload.size());
  out += static_cast<char>(type);
  put_u32(out, static_cast<uint32_t>(payload.size()));
  out.append(payload);
  return out;
}

std::string encode_window_size(const WindowSize& size) {
  std::string out;
  put_u32(out, static_cast<uint32_t>(size.rows));
  put_u32(out, static_cast<uint32_t>(size.cols));
  return out;
}

Result<WindowSize> decode_window_size(std::string_view payload) {
  if (payload.size() != 8)
    return invalid_argument("shell resize frame: expected 8 bytes, got " +
                            std::to_string(payload.size()));
  uint32_t rows = get_u32(payload), cols = get_u32(payload.substr(4));
  if (rows > static_cast<uint32_t>(kTaskShellMaxDimension) ||
      cols > static_cast<uint32_t>(kTaskShellMaxDimension))
    return invalid_argument("shell resize frame: " + std::to_string(rows) + "x" +
                            std::to_string(cols) + " is over " +
                            std::to_string(kTaskShellMaxDimension));
  WindowSize size{static_cast<int>(rows), static_cast<int>(cols)};
  BOREALIS_RETURN_IF_ERROR(check_window_size(size));
  return size;
}

std::string encode_shell_exit(const ShellExit& exit) {
  std::string out;
  put_u32(out, static_cast<uint32_t>(exit.exit_code));
  put_u32(out, static_cast<uint32_t>(exit.signal));
  return out;
}

Result<ShellExit> decode_shell_exit(std::string_view payload) {
  if (payload.size() != 8)
    return invalid_argument("shell exit frame: expected 8 bytes, got " +
                            std::to_string(payload.size()));
  ShellExit exit{static_cast<int32_t>(get_u32(payload)),
                 static_cast<int32_t>(get_u32(payload.substr(4)))};
  if (exit.exit_code < -1 || exit.exit_code > 255 || exit.signal < 0 || exit.signal > 64)
    return invalid_argument("shell exit frame: exit code " + std::to_string(exit.exit_code) +
                            ", signal " + std::to_string(exit.signal) + ": out of range");
  return exit;
}

Status check_window_size(const WindowSize& size) {
  for (auto [name, v] : {std::pair{"rows", size.rows}, std::pair{"cols", size.cols}})
    if (v < 1 || v > kTaskShellMaxDimension)
      return invalid_argument(std::string("terminal ") + name + ": expected 1 to " +
                              std::to_string(kTaskShellMaxDimension) + ", got " +
                              std::to_string(v));
  return Status();
}

Status check_term(std::string_view term) {
  bool ok = !term.empty() && term.size() <= kTaskShellMaxTermBytes;
  for (char c : term)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '+' ||
                c == '_');
  if (!ok)
    return invalid_argument("terminal type '" +
                            std::string(term.substr(0, kTaskShellMaxTermBytes)) +
                            "': expected 1 to " + std::to_string(kTaskShellMaxTermBytes) +
                            " letters, digits, '-', '.', '+' or '_'");
  return Status();
}

Result<std::optional<ShellFrame>> ShellFrameReader::next() {
  std::string_view rest = std::string_view(buffer_).substr(start_);
  if (!rest.empty() && !known_type(static_cast<uint8_t>(rest[0])))
    return invalid_argument("shell frame of unknown type " +
                            std::to_string(static_cast<unsigned char>(rest[0])));
  if (rest.size() >= kTaskShellFrameHeaderBytes) {
    uint32_t length = get_u32(rest.substr(1));
    if (length > kTaskShellMaxFrameBytes)
      return invalid_argument("shell frame of " + std::to_string(length) + " bytes: over " +
                              std::to_string(kTaskShellMaxFrameBytes));
    if (rest.size() >= kTaskShellFrameHeaderBytes + length) {
      ShellFrame frame{static_cast<ShellFrameType>(rest[0]),
                       std::string(rest.substr(kTaskShellFrameHeaderBytes, length))};
      start_ += kTaskShellFrameHeaderBytes + length;
      return std::optional<ShellFrame>(std::move(frame));
    }
  }
  // Keep only the partial frame, so the buffer holds at most one frame.
  buffer_.erase(0, start_);
  start_ = 0;
  return std::optional<ShellFrame>();
}

}  // namespace borealis::api
