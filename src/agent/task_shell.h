// What `POST /api/v1/tasks/ID/shell` runs once upgraded (api/task_shell.h): an interactive
// bash on a pseudo-terminal in the task's work dir, as the task's user, with the
// environment the runner gives the task's processes (HOME, USER, LOGNAME, PATH, and
// .thermos_profile read as the shell's rc file when the task has one) plus the client's
// TERM, relayed to and from the client in frames.
//
// The shell leads a session of its own. It ends — every process group of that session
// SIGKILLed (its own and its jobs'), the terminal closed — when the client disconnects or
// breaks the protocol, or when `task_alive` says the task ended (asked every second). When
// the shell exits by itself, what it left running in its session is killed too, and the
// client gets its output to the end and a kExit frame.
// Each side's bytes are read only once the previous ones were written to the other side,
// so a slow peer holds at most one frame in memory.
//
// Ownership: the shell keeps itself alive until it ended and `done` ran (once, on the
// io_context's thread). Threading: the io_context's thread, which must be the stream's.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>

#include "agent/task_user.h"
#include "api/task_shell.h"
#include "net/byte_stream.h"

namespace borealis::agent {

struct TaskShellSpec {
  std::string task_id;
  std::string work_dir;  // check_dir of the task directory
  RunAs who;
  api::WindowSize size;
  std::string term = "xterm";
};

// `done` says how the shell ended ("" or an error), for the audit log and the shell count.
void start_task_shell(boost::asio::io_context& io, std::shared_ptr<net::ByteStream> client,
                      TaskShellSpec spec, std::function<bool()> task_alive,
                      std::function<void(const std::string& end)> done);

}  // namespace borealis::agent
