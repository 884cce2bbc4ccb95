// `POST /api/v1/tasks/ID/shell` end to end on a real agent: a client upgrades the
// connection, types into the shell and reads its terminal, as `borealis task ssh` does.
#include "agent/task_shell.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <array>
#include <boost/asio/io_context.hpp>

#include "agent/agent_test_fixture.h"
#include "api/task_shell.h"
#include "net/byte_stream.h"

namespace borealis::agent::testing {
namespace {

namespace asio = boost::asio;

// What a client saw of one shell.
struct Seen {
  std::string output;
  std::optional<api::ShellExit> exit;
  bool closed = false;  // the agent closed the connection
};

class TaskShellTest : public AgentFixture {
 protected:
  bool start_running(const std::string& id, json::value job) {
    start_agent();
    fake_.launch(id, job);
    return wait_states(id, {S::kStarting, S::kRunning});
  }

  // Opens a shell in `id`; the answer when it was not a 101.
  Result<net::UpgradeAnswer> open(const std::string& id,
                                  const std::string& query = "?rows=30&cols=100&term=xterm") {
    return api_->upgrade("POST", "/api/v1/tasks/" + id + "/shell" + query, api::kTaskShellProtocol,
                         std::chrono::seconds(5));
  }

  static std::string input(const std::string& keys) {
    return api::encode_shell_frame(api::ShellFrameType::kInput, keys);
  }

  // Sends `wire` (frames), then reads frames until `done` says so, the agent closed the
  // connection, or 10 s passed.
  Seen drive(net::ByteStream& s, const std::string& wire,
             const std::function<bool(const Seen&)>& done = nullptr) {
    Seen seen;
    if (!wire.empty()) s.async_write(asio::buffer(wire), [](boost::system::error_code, size_t) {});
    api::ShellFrameReader reader;
    std::array<char, 4096> buffer;
    bool stop = false;
    std::function<void()> read = [&] {
      s.async_read_some(asio::buffer(buffer), [&](boost::system::error_code ec, size_t n) {
        if (ec) {
          seen.closed = stop = true;
          return;
        }
        reader.feed(std::string_view(buffer.data(), n));
        for (auto f = reader.next(); f.ok() && *f; f = reader.next()) {
          if ((*f)->type == api::ShellFrameType::kOutput) seen.output += (*f)->payload;
          if ((*f)->type == api::ShellFrameType::kExit)
            seen.exit = api::decode_shell_exit((*f)->payload).value();
        }
        if (done && done(seen)) {
          stop = true;
          return;
        }
        read();
      });
    };
    read();
    auto deadline = std::chrono::steady_clock::now() + 10s;
    api_->io().restart();
    while (!stop && std::chrono::steady_clock::now() < deadline) api_->io().run_one_for(100ms);
    return seen;
  }
};

TEST_F(TaskShellTest, RunsAsTheTasksUserInTheWorkDirAndReturnsTheExitStatus) {
  if (::geteuid() != 0) GTEST_SKIP() << "switching to the task's user needs root";
  config_.run_tasks_as_agent_user = false;
  json::value j = job("sleep 60");
  j.as_object()["role"] = "nobody";
  ASSERT_TRUE(start_running("t1", j));
  auto answer = open("t1");
  ASSERT_TRUE(answer.ok()) << answer.status().to_string();
  ASSERT_EQ(answer->response.status, 101) << answer->response.body;
  ASSERT_TRUE(answer->stream);
  Seen seen =
      drive(*answer->stream,
            input("echo U=$(id -un); echo D=$(pwd); echo S=$(stty size) T=$TERM; exit 3\n"));
  EXPECT_NE(seen.output.find("U=nobody\r\n"), std::string::npos) << seen.output;
  EXPECT_NE(seen.output.find("D=" + sandbox("t1") + "/sandbox\r\n"), std::string::npos)
      << seen.output;
  EXPECT_NE(seen.output.find("S=30 100 T=xterm\r\n"), std::string::npos) << seen.output;
  ASSERT_TRUE(seen.exit) << seen.output;
  EXPECT_EQ(seen.exit->exit_code, 3);
  EXPECT_EQ(seen.exit->status(), 3);
  EXPECT_TRUE(seen.closed);
}

TEST_F(TaskShellTest, TheClientResizesTheTerminal) {
  ASSERT_TRUE(start_running("t1", job("sleep 60")));
  auto answer = open("t1");
  ASSERT_TRUE(answer.ok() && answer->stream) << answer->response.body;
  std::string resize =
      api::encode_shell_frame(api::ShellFrameType::kResize, api::encode_window_size({50, 132}));
  Seen seen = drive(*answer->stream, resize + input("echo S=$(stty size); exit\n"));
  EXPECT_NE(seen.output.find("S=50 132\r\n"), std::string::npos) << seen.output;
  ASSERT_TRUE(seen.exit);
  EXPECT_EQ(seen.exit->exit_code, 0);
}

TEST_F(TaskShellTest, ADisconnectedClientsShellIsKilled) {
  ASSERT_TRUE(start_running("t1", job("sleep 60")));
  auto answer = open("t1");
  ASSERT_TRUE(answer.ok() && answer->stream) << answer->response.body;
  Seen seen = drive(*answer->stream, input("sleep 1000 & echo \"P\"\"=$!;\"\n"), [](const Seen& s) {
    return s.output.find("P=") != std::string::npos &&
           s.output.find(';', s.output.find("P=")) != std::string::npos;
  });
  size_t at = seen.output.find("P=");
  ASSERT_NE(at, std::string::npos) << seen.output;
  int64_t pid = std::stoll(seen.output.substr(at + 2));
  EXPECT_TRUE(alive(pid));
  answer->stream->close();
  EXPECT_TRUE(wait_for([&] { return !alive(pid); }, 5s)) << "the shell's job " << pid;
}

TEST_F(TaskShellTest, TheShellEndsWithItsTask) {
  ASSERT_TRUE(start_running("t1", job("sleep 60")));
  auto answer = open("t1");
  ASSERT_TRUE(answer.ok() && answer->stream) << answer->response.body;
  fake_.kill("t1");
  Seen seen = drive(*answer->stream, "");
  EXPECT_TRUE(seen.closed);
  EXPECT_FALSE(seen.exit);
}

TEST_F(TaskShellTest, RefusesBadRequestsAndMoreThanTheLimit) {
  ASSERT_TRUE(start_running("t1", job("sleep 60")));
  EXPECT_EQ(open("t1", "?rows=0").value().response.status, 400);
  EXPECT_EQ(open("t1", "?term=x%3By").value().response.status, 400);
  EXPECT_EQ(open("nope").value().response.status, 404);
  auto plain = api_->request("POST", "/api/v1/tasks/t1/shell", "");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->status, 400);
  EXPECT_NE(plain->body.find("Upgrade: borealis-shell/1"), std::string::npos) << plain->body;

  std::vector<std::unique_ptr<net::HttpClient>> clients;
  std::vector<std::shared_ptr<net::ByteStream>> shells;
  for (int i = 0; i < api::kTaskShellMaxPerAgent; ++i) {
    clients.push_back(
        net::HttpClient::create("http://127.0.0.1:" + std::to_string(agent_->http_port())).value());
    auto a = clients.back()->upgrade("POST", "/api/v1/tasks/t1/shell", api::kTaskShellProtocol,
                                     std::chrono::seconds(5));
    ASSERT_TRUE(a.ok() && a->stream) << i << ": " << a->response.body;
    shells.push_back(a->stream);
  }
  auto over = open("t1");
  ASSERT_TRUE(over.ok());
  EXPECT_EQ(over->response.status, 503);
  EXPECT_NE(over->response.body.find("16 shells already open"), std::string::npos)
      << over->response.body;
  shells.front()->close();
  shells.erase(shells.begin());
  auto again = [&] {
    auto a = open("t1");
    return a.ok() && a->response.status == 101;
  };
  EXPECT_TRUE(wait_for(again, 5s)) << "a closed shell frees its place";
}

}  // namespace
}  // namespace borealis::agent::testing
