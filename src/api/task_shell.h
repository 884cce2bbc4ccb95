// `POST /api/v1/tasks/ID/shell` on an agent (docs/agent-api.md): an interactive shell on a
// pseudo-terminal in a task's work dir, as the task's user; what `borealis task ssh` opens.
//
// The request is an HTTP Upgrade to kTaskShellProtocol, with the terminal's first size in
// the query (`rows`, `cols`) and its TERM in `term`. After the 101 answer both sides send
// frames: one type byte, a 4-byte big-endian payload length, the payload.
//   client -> agent: kInput (bytes for the terminal), kResize (WindowSize). Closing the
//                    connection ends the shell (its process group is killed).
//   agent -> client: kOutput (the terminal's bytes), then one kExit (ShellExit) at the end.
// A frame over kTaskShellMaxFrameBytes, or of an unknown type, is a protocol error: the
// receiver closes the connection.
//
// Thread-safety: plain values and pure functions; a ShellFrameReader is one stream's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace borealis::api {

inline constexpr const char* kTaskShellProtocol = "borealis-shell/1";
inline constexpr size_t kTaskShellMaxFrameBytes = 64 * 1024;
inline constexpr size_t kTaskShellFrameHeaderBytes = 5;
// Shells open at once on one agent (each a process tree of a task's user).
inline constexpr int kTaskShellMaxPerAgent = 16;
// Bounds of a terminal size and of the TERM name the client passes.
inline constexpr int kTaskShellMaxDimension = 4096;
inline constexpr size_t kTaskShellMaxTermBytes = 64;

enum class ShellFrameType : uint8_t {
  kInput = 'i',
  kResize = 'r',
  kOutput = 'o',
  kExit = 'x',
};

struct ShellFrame {
  ShellFrameType type = ShellFrameType::kOutput;
  std::string payload;
};

struct WindowSize {
  int rows = 24;
  int cols = 80;
  bool operator==(const WindowSize&) const = default;
};

// How the shell ended: its exit code, or the signal that ended it.
struct ShellExit {
  int exit_code = -1;  // -1 when a signal ended it
  int signal = 0;
  bool operator==(const ShellExit&) const = default;
  // What a shell exiting like this makes its caller exit with: the code, or 128 + signal.
  int status() const { return signal != 0 ? 128 + signal : exit_code; }
};

// `payload` must be at most kTaskShellMaxFrameBytes (callers cut their reads to it).
std::string encode_shell_frame(ShellFrameType type, std::string_view payload);
std::string encode_window_size(const WindowSize& size);
Result<WindowSize> decode_window_size(std::string_view payload);
std::string encode_shell_exit(const ShellExit& exit);
Result<ShellExit> decode_shell_exit(std::string_view payload);
// A size within 1..kTaskShellMaxDimension each way, or INVALID_ARGUMENT naming the bad one.
Status check_window_size(const WindowSize& size);
// TERM as the client names it: letters, digits, '-', '.', '+', '_' only, at most
// kTaskShellMaxTermBytes.
Status check_term(std::string_view term);

// Cuts a byte stream into frames. feed() what arrived, then next() until it has none.
class ShellFrameReader {
 public:
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // The next whole frame, nullopt until one arrived, or INVALID_ARGUMENT for a frame of an
  // unknown type or over kTaskShellMaxFrameBytes (the stream is unusable after that).
  Result<std::optional<ShellFrame>> next();

 private:
  std::string buffer_;
  size_t start_ = 0;  // where the next frame starts in buffer_
};

}  // namespace borealis::api
