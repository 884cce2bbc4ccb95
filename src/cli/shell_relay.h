// The client side of a shell in a task (api/task_shell.h), as `borealis task ssh` runs it:
// the local terminal in raw mode, its keys sent as input frames, its size sent at each
// SIGWINCH, and the shell's output written out, until the shell exits.
//
// Threading: relay_shell() runs `io` on the calling thread until the shell ended.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>

#include "api/task_shell.h"
#include "common/result.h"
#include "net/byte_stream.h"

namespace borealis::cli {

// The size of the terminal on `fd`, or nullopt when it is not a terminal.
std::optional<api::WindowSize> terminal_size(int fd);

// Puts the terminal on `fd` in raw mode (no echo, no line editing, no signals from keys:
// ^C goes to the remote shell) for its lifetime, and restores the settings it found on
// every way out of its scope. Nothing happens when `fd` is not a terminal.
class RawTerminal {
 public:
  explicit RawTerminal(int fd);
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

 private:
  struct Saved;
  int fd_;
  std::unique_ptr<Saved> saved_;
};

// Relays `in` (a terminal or a pipe; at its end the shell gets ^D) and `out` to `shell`,
// which lives on `io`. Returns how the shell ended, or UNAVAILABLE when the connection
// closed first (the task ended, or the agent went away), or when SIGTERM or SIGHUP came.
Result<api::ShellExit> relay_shell(boost::asio::io_context& io,
                                   std::shared_ptr<net::ByteStream> shell, int in, int out);

}  // namespace borealis::cli
