// The client side of `borealis task ssh`: a scripted agent on the other end of a socket
// pair speaks the shell frames (api/task_shell.h); the relay's input and output are pipes.
#include "cli/shell_relay.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/write.hpp>
#include <thread>

namespace borealis::cli {
namespace {

namespace asio = boost::asio;
using api::ShellFrameType;

// The relay's side of the connection: one end of a Unix socket pair.
class SocketStream final : public net::ByteStream {
 public:
  SocketStream(asio::io_context& io, int fd) : socket_(io) {
    socket_.assign(asio::local::stream_protocol(), fd);
  }
  void async_read_some(asio::mutable_buffer buffer, Handler done) override {
    socket_.async_read_some(buffer, std::move(done));
  }
  void async_write(asio::const_buffer buffer, Handler done) override {
    asio::async_write(socket_, buffer, std::move(done));
  }
  void close() override {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }
  asio::any_io_executor executor() override { return socket_.get_executor(); }

 private:
  asio::local::stream_protocol::socket socket_;
};

// The agent's side, blocking, on the test's own thread.
class ScriptedAgent {
 public:
  explicit ScriptedAgent(int fd) : fd_(fd) {}
  ~ScriptedAgent() { hang_up(); }

  // The next frame from the relay; nullopt when the connection closed.
  std::optional<api::ShellFrame> next() {
    for (;;) {
      auto frame = reader_.next();
      if (!frame.ok()) ADD_FAILURE() << frame.status().to_string();
      if (!frame.ok()) return std::nullopt;
      if (*frame) return std::move(**frame);
      char buf[4096];
      ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) return std::nullopt;
      reader_.feed(std::string_view(buf, static_cast<size_t>(n)));
    }
  }
  // Input frames until their bytes include `want`: what arrived.
  std::string input_until(const std::string& want) {
    std::string got;
    while (got.find(want) == std::string::npos) {
      auto frame = next();
      if (!frame) break;
      EXPECT_EQ(frame->type, ShellFrameType::kInput);
      got += frame->payload;
    }
    return got;
  }
  void send(ShellFrameType type, std::string_view payload) {
    send_raw(api::encode_shell_frame(type, payload));
  }
  void send_raw(const std::string& bytes) {
    ASSERT_EQ(::write(fd_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  void hang_up() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
  api::ShellFrameReader reader_;
};

class ShellRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int sv[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    shell_ = std::make_shared<SocketStream>(io_, sv[0]);
    agent_ = std::make_unique<ScriptedAgent>(sv[1]);
    ASSERT_EQ(::pipe2(in_, O_CLOEXEC), 0);
    ASSERT_EQ(::pipe2(out_, O_CLOEXEC), 0);
  }
  void TearDown() override {
    for (int* fd : {&in_[0], &in_[1], &out_[0], &out_[1]}) {
      if (*fd >= 0) ::close(*fd);
      *fd = -1;
    }
  }
  void type(const std::string& keys) {
    ASSERT_EQ(::write(in_[1], keys.data(), keys.size()), static_cast<ssize_t>(keys.size()));
  }
  void end_input() {
    ::close(in_[1]);
    in_[1] = -1;
  }
  // What the relay wrote out, once it returned (its end of the pipe closed here).
  std::string output() {
    ::close(out_[1]);
    out_[1] = -1;
    std::string all;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(out_[0], buf, sizeof buf)) > 0) all.append(buf, static_cast<size_t>(n));
    return all;
  }
  Result<api::ShellExit> relay() { return relay_shell(io_, shell_, in_[0], out_[1]); }

  asio::io_context io_;
  std::shared_ptr<SocketStream> shell_;
  std::unique_ptr<ScriptedAgent> agent_;
  int in_[2] = {-1, -1};
  int out_[2] = {-1, -1};
};

TEST_F(ShellRelayTest, KeysGoOutAsInputOutputComesBackAndTheExitIsReturned) {
  std::string typed, after_end;
  std::thread agent([&] {
    typed = agent_->input_until("exit 3\n");
    agent_->send(ShellFrameType::kOutput, "$ id -un\r\nnobody\r\n");
    agent_->send(ShellFrameType::kOutput, std::string(100 * 1024 / 2, 'x'));
    end_input();
    after_end = agent_->input_until("\x04");  // the end of piped input is ^D
    agent_->send(ShellFrameType::kExit, api::encode_shell_exit({3, 0}));
  });
  type("id -un\n");
  type("exit 3\n");
  auto exit = relay();
  agent.join();
  ASSERT_TRUE(exit.ok()) << exit.status().to_string();
  EXPECT_EQ(exit->status(), 3);
  EXPECT_EQ(typed, "id -un\nexit 3\n");
  EXPECT_EQ(after_end, "\x04");
  EXPECT_EQ(output(), "$ id -un\r\nnobody\r\n" + std::string(100 * 1024 / 2, 'x'));
}

TEST_F(ShellRelayTest, AShellEndedByASignalReportsItsStatus) {
  std::thread agent([&] { agent_->send(ShellFrameType::kExit, api::encode_shell_exit({-1, 9})); });
  auto exit = relay();
  agent.join();
  ASSERT_TRUE(exit.ok()) << exit.status().to_string();
  EXPECT_EQ(exit->status(), 128 + 9);
}

TEST_F(ShellRelayTest, AConnectionClosedBeforeTheExitIsUnavailable) {
  std::thread agent([&] {
    agent_->send(ShellFrameType::kOutput, "bye");
    agent_->hang_up();
  });
  auto exit = relay();
  agent.join();
  EXPECT_EQ(exit.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(exit.status().message().find("closed the shell's connection"), std::string::npos)
      << exit.status().message();
  EXPECT_EQ(output(), "bye");
}

// A frame only clients send, and a frame longer than any allowed, each end the relay.
TEST_F(ShellRelayTest, AnAgentBreakingTheProtocolEndsTheRelay) {
  std::string oversized(api::kTaskShellFrameHeaderBytes, '\0');
  oversized[0] = static_cast<char>(ShellFrameType::kOutput);
  oversized[1] = 0x7f;  // a length of about 2 GiB
  for (const std::string& bytes :
       {api::encode_shell_frame(ShellFrameType::kInput, "only clients send input"), oversized}) {
    TearDown();  // a fresh connection and pipes for each
    SetUp();
    std::thread agent([&] { agent_->send_raw(bytes); });
    auto exit = relay();
    agent.join();
    EXPECT_EQ(exit.status().code(), StatusCode::kUnavailable);
    EXPECT_NE(exit.status().message().find("broke the shell protocol"), std::string::npos)
        << exit.status().message();
  }
}

TEST(RawTerminalTest, RawModeLastsForItsScopeOnly) {
  int leader = -1, follower = -1;
  ASSERT_EQ(::openpty(&leader, &follower, nullptr, nullptr, nullptr), 0);
  termios before{};
  ASSERT_EQ(::tcgetattr(follower, &before), 0);
  ASSERT_TRUE(before.c_lflag & ECHO);
  {
    RawTerminal raw(follower);
    termios during{};
    ASSERT_EQ(::tcgetattr(follower, &during), 0);
    EXPECT_FALSE(during.c_lflag & (ECHO | ICANON | ISIG));
  }
  termios after{};
  ASSERT_EQ(::tcgetattr(follower, &after), 0);
  EXPECT_EQ(after.c_lflag, before.c_lflag);
  EXPECT_EQ(after.c_iflag, before.c_iflag);
  ::close(leader);
  ::close(follower);
}

TEST(RawTerminalTest, APipeIsLeftAlone) {
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  { RawTerminal raw(p[0]); }
  EXPECT_FALSE(terminal_size(p[0]).has_value());
  ::close(p[0]);
  ::close(p[1]);
}

}  // namespace
}  // namespace borealis::cli
