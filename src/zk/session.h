// zk::Session: one ZooKeeper client session over Debian's libzookeeper-mt, as the agent's
// announcer, the scheduler's leader announcement and `borealis router` use it.
//
// Threads. The C client runs an I/O thread and a completion thread per handle. Neither
// ever runs owner code: the Session hands every session state change and every watch
// event to the owner's Executor (e.g. `asio::post(io, f)`), so the owner's callbacks run
// on the owner's loop and may take its locks. The Executor itself must not block (it is
// called on the C client's thread). A private keeper thread replaces an expired handle.
//
// Expiry. ZooKeeper ends a session when it hears nothing from it for the session timeout;
// its ephemeral nodes and watches are gone then. The Session reports kExpired and at once
// makes a new session by itself (re-adding the digest credential); when that one connects
// the owner gets kConnected with new_session = true and re-creates its ephemeral nodes
// and watches, exactly as after the first connect.
//
// Operations are synchronous: each waits for the server's answer, or fails with
// kUnavailable when the connection is lost (within about the session timeout), so call
// them from a worker thread, never from the owner's event loop. Any thread may call them,
// concurrently. Errors name the operation, the path and ZooKeeper's error text.
//
// A server that is down at start is not an error: the client keeps trying every server
// of the connect string, and kConnected comes when one answers. wait_connected() bounds
// that wait for callers that need a session before going on.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "zk/connect_string.h"

namespace borealis::zk {

// ZooKeeper's default jute.maxbuffer: a node's data (and one reply) is at most this.
inline constexpr size_t kMaxDataBytes = 1024 * 1024 - 1;
// A get_children answer with more names than this is refused (a ServerSet is small).
inline constexpr size_t kDefaultMaxChildren = 10000;

using Executor = std::function<void(std::function<void()>)>;

enum class SessionEvent {
  kConnected,     // connected (or reconnected); see SessionState::new_session
  kDisconnected,  // connection lost; the session (and its ephemerals) may still come back
  kExpired,       // the session is gone with its ephemerals; a new one is being made
  kAuthFailed,    // the server refused the credential; the Session does not retry
};
const char* session_event_name(SessionEvent event);

struct SessionState {
  SessionEvent event = SessionEvent::kDisconnected;
  // True on the first kConnected of each session (the initial one and each one after an
  // expiry): ephemeral nodes and watches must be (re)created.
  bool new_session = false;
  int64_t session_id = 0;
};

struct SessionOptions {
  ConnectString servers;
  // Asked of the server, which clamps it to [2, 20] x its tickTime.
  std::chrono::milliseconds session_timeout{10000};
  // With a credential the Session authenticates with digest auth and creates nodes
  // readable by anyone and writable only by that identity (creator all + world read, as
  // Aurora does with -zk_digest_credentials); without one nodes are open to all
  // (world:anyone all, Aurora's default).
  std::optional<DigestCredential> credential;
  size_t max_children = kDefaultMaxChildren;
};

enum class NodeKind { kPersistent, kEphemeral, kEphemeralSequential };

struct NodeStat {
  int32_t version = 0;
  int64_t ephemeral_owner = 0;  // the owning session's id; 0 for a persistent node
  int32_t num_children = 0;
};

struct NodeData {
  std::string data;
  NodeStat stat;
};

struct WatchEvent {
  enum class Kind {
    kCreated,
    kDeleted,
    kDataChanged,
    kChildrenChanged,
    kSessionLost,  // the session expired before the watch fired: it will never fire
  };
  Kind kind = Kind::kSessionLost;
  std::string path;
};
using WatchCallback = std::function<void(const WatchEvent&)>;

class Session {
 public:
  // Starts connecting; never waits for the server. `on_state` runs through `executor`.
  // Both must outlive the Session and any task it posted.
  static Result<std::unique_ptr<Session>> start(SessionOptions options, Executor executor,
                                                std::function<void(const SessionState&)> on_state);
  // Closes the session: the server deletes its ephemeral nodes at once.
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // OK once connected; kUnavailable naming the servers when `timeout` passes first;
  // kPermissionDenied when authentication failed.
  Status wait_connected(std::chrono::milliseconds timeout);
  bool connected() const;
  // The current session's id (0 before the first connect).
  int64_t session_id() const;
  // The id and password of the current session (for tests that expire it).
  std::pair<int64_t, std::string> session_credentials() const;

  // Creates `path` with `data` and returns the created path (with its sequence suffix for
  // kEphemeralSequential: "/x/member_" -> "/x/member_0000000001"). Missing parents are
  // created as empty persistent nodes when `make_parents`.
  Result<std::string> create(const std::string& path, const std::string& data, NodeKind kind,
                             bool make_parents = true);
  // Deletes `path` if its version is `version` (-1: any version).
  Status remove(const std::string& path, int32_t version = -1);
  Result<NodeData> get(const std::string& path);
  // Returns the new stat.
  Result<NodeStat> set(const std::string& path, const std::string& data, int32_t version = -1);
  // Child names (not paths), sorted.
  Result<std::vector<std::string>> children(const std::string& path);
  // nullopt when the node does not exist.
  Result<std::optional<NodeStat>> exists(const std::string& path);

  // As children()/get(), and `on_change` runs once (through the executor) at the next
  // change of the node's children/data, or with kSessionLost if the session expires first.
  // On an error no watch is set, except for kResourceExhausted (an answer over the bounds):
  // the server did set it, and it fires as usual.
  Result<std::vector<std::string>> watch_children(const std::string& path, WatchCallback on_change);
  Result<NodeData> watch_data(const std::string& path, WatchCallback on_change);

  class Core;

 private:
  explicit Session(std::unique_ptr<Core> core);
  std::unique_ptr<Core> core_;
};

}  // namespace borealis::zk
