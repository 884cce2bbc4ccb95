// Unit tests of job history, job tail and task ssh: line cutting, the tail engine over a
// scripted source (instance switching, process choice, errors), the ssh command line, the
// history's text and JSON, and the commands' option errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "cli/history_format.h"
#include "cli/log_lines.h"
#include "cli/log_tail.h"
#include "cli/ssh_command.h"
#include "cli/test_util.h"

namespace borealis::cli {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> feed_all(LineCutter& c, const std::vector<std::string>& pieces) {
  std::vector<std::string> out;
  for (const std::string& p : pieces)
    for (std::string& line : c.feed(p)) out.push_back(std::move(line));
  return out;
}

TEST(LineCutterTest, JoinsPiecesIntoLinesAndKeepsTheStartedOne) {
  LineCutter c(100);
  EXPECT_EQ(feed_all(c, {"one\ntw", "o\n", "", "thr"}), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(c.flush(), "thr");
  EXPECT_EQ(c.flush(), std::nullopt);
  EXPECT_EQ(feed_all(c, {"\n\n"}), (std::vector<std::string>{"", ""}));
}

TEST(LineCutterTest, CutsALongLineAtOnceAndSkipsItsRest) {
  LineCutter c(8);
  std::string mark = LineCutter::cut_mark(8);
  EXPECT_EQ(feed_all(c, {"12345678", "9abc", "def\nnext\n"}),
            (std::vector<std::string>{"12345678" + mark, "next"}));
  EXPECT_EQ(feed_all(c, {"123456789\nok\n"}), (std::vector<std::string>{"12345678" + mark, "ok"}));
  EXPECT_EQ(feed_all(c, {"12345678\n"}), (std::vector<std::string>{"12345678"}));
}

TEST(LineCutterTest, ATenMegabyteLineWithoutNewlineHoldsAtMostTheLimit) {
  LineCutter c(16 * 1024);
  std::string chunk(1024 * 1024, 'x');
  std::vector<std::string> lines;
  for (int i = 0; i < 10; ++i)
    for (std::string& l : c.feed(chunk)) lines.push_back(std::move(l));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], std::string(16 * 1024, 'x') + LineCutter::cut_mark(16 * 1024));
  EXPECT_EQ(c.flush(), std::nullopt);  // the rest was skipped, not kept
  EXPECT_EQ(c.feed("\nafter\n"), (std::vector<std::string>{"after"}));
}

TEST(LineCutterTest, ShowsInvalidUtf8AndControlCharactersSafely) {
  EXPECT_EQ(printable_line("caf\xc3\xa9 \xff!"), "caf\xc3\xa9 \xef\xbf\xbd!");
  EXPECT_EQ(printable_line("\x1b[31mred\x7f\r\tx"), "^[[31mred^?^M\tx");
  LineCutter c(5);
  // A cut inside a two-byte character does not leave half of it.
  EXPECT_EQ(c.feed("abcd\xc3\xa9z\n"),
            (std::vector<std::string>{"abcd" + LineCutter::cut_mark(5)}));
}

TEST(LineCutterTest, LastLines) {
  EXPECT_EQ(last_lines({"a", "b", "c"}, 2), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(last_lines({"a"}, 5), (std::vector<std::string>{"a"}));
  EXPECT_TRUE(last_lines({"a"}, 0).empty());
}

TEST(InstancePrefixTest, ColoursOnlyWhenAsked) {
  EXPECT_EQ(instance_prefix(3, false), "[3] ");
  EXPECT_EQ(instance_prefix(3, true), "\033[34m[3]\033[0m ");
  EXPECT_NE(instance_prefix(1, true), instance_prefix(2, true));
}

// A cluster in memory: tasks by instance, each with its processes' files.
class FakeSource : public TailSource {
 public:
  struct File {
    int64_t run = 0;
    std::string data;
  };
  std::map<int32_t, TailTarget> tasks;
  std::map<std::string, std::map<std::string, File>> files;  // task id -> process -> stdout
  std::map<std::string, Status> read_errors;                 // task id -> error
  int reads = 0;

  void add_task(int32_t instance, const std::string& id) {
    tasks[instance] = TailTarget{instance, id, "agent:1"};
  }
  void write(const std::string& task, const std::string& process, const std::string& text) {
    files[task][process].data += text;
  }

  Result<std::vector<TailTarget>> targets() override {
    std::vector<TailTarget> out;
    for (const auto& [_, t] : tasks) out.push_back(t);
    return out;
  }
  Result<std::vector<std::string>> logged_processes(const TailTarget& t) override {
    std::vector<std::string> names;
    for (const auto& [name, _] : files[t.task_id]) names.push_back(name);
    return names;
  }
  Result<LogFileInfo> locate(const TailTarget& t, const std::string& process,
                             const std::string&) override {
    auto it = files[t.task_id].find(process);
    if (it == files[t.task_id].end()) return not_found("no logs");
    return LogFileInfo{it->second.run, static_cast<int64_t>(it->second.data.size())};
  }
  Result<std::string> read(const TailTarget& t, const std::string& process, const std::string&,
                           int64_t run, int64_t offset, int64_t length) override {
    ++reads;
    if (auto e = read_errors.find(t.task_id); e != read_errors.end()) return e->second;
    const File& f = files[t.task_id][process];
    // Only the newest run is kept here: an older one reads as ended.
    if (run != f.run || offset >= static_cast<int64_t>(f.data.size())) return std::string();
    return f.data.substr(static_cast<size_t>(offset), static_cast<size_t>(length));
  }
};

class JobTailTest : public ::testing::Test {
 protected:
  JobTailTest() { settings_.processes = {"setup", "app"}; }
  JobTail& tail() {
    if (!tail_) tail_ = std::make_unique<JobTail>(source_, settings_, out_, err_);
    return *tail_;
  }
  std::string take_out() {
    std::string s = out_.str();
    out_.str("");
    return s;
  }
  std::string take_err() {
    std::string s = err_.str();
    err_.str("");
    return s;
  }

  FakeSource source_;
  TailSettings settings_;
  std::ostringstream out_, err_;
  std::unique_ptr<JobTail> tail_;
};

TEST_F(JobTailTest, ShowsTheLastLinesOfEveryInstanceThenFollowsGrowth) {
  settings_.lines = 2;
  source_.add_task(0, "t0");
  source_.add_task(1, "t1");
  source_.write("t0", "app", "a\nb\nc\n");
  source_.write("t0", "setup", "set up\n");
  source_.write("t1", "app", "x\ny\npart");
  ASSERT_TRUE(tail().refresh().ok());
  EXPECT_EQ(take_out(), "[0] b\n[0] c\n[1] x\n[1] y\n");
  auto got = tail().poll();
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(*got);
  source_.write("t1", "app", "ial\n");
  source_.write("t0", "app", "d\n");
  got = tail().poll();
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(*got);
  EXPECT_EQ(take_out(), "[0] d\n[1] partial\n");
  EXPECT_EQ(take_err(), "");
}

TEST_F(JobTailTest, TheStartWindowBeginsOnALineBoundary) {
  settings_.window_bytes = 6;
  settings_.lines = 5;
  source_.add_task(0, "t0");
  source_.write("t0", "app", "first\nsecond\nthird\n");
  ASSERT_TRUE(tail().refresh().ok());
  EXPECT_EQ(take_out(), "[0] third\n");
}

TEST_F(JobTailTest, SwitchesToAReplacedInstancesNewTaskFromItsStart) {
  source_.add_task(0, "old");
  source_.write("old", "app", "one\n");
  ASSERT_TRUE(tail().refresh().ok());
  EXPECT_EQ(take_out(), "[0] one\n");
  source_.write("old", "app", "last words");
  source_.add_task(0, "new");
  source_.write("new", "app", "hello again\n");
  ASSERT_TRUE(tail().refresh().ok());
  EXPECT_EQ(tail().task_of(0), "new");
  EXPECT_EQ(take_err(), "instance 0: task old was replaced by new; following the new task\n");
  ASSERT_TRUE(tail().poll().ok());
  EXPECT_EQ(take_out(), "[0] last words\n[0] hello again\n");

  source_.tasks.erase(0);
  source_.add_task(4, "t4");
  ASSERT_TRUE(tail().refresh().ok());
  EXPECT_EQ(tail().task_of(0), "");
  EXPECT_EQ(take_err(),
            "instance 0: task new ended; no active task\ninstance 4: following new task t4\n");
}

TEST_F(JobTailTest, FollowsTheLastProcessWithLogsAndMovesOnWhenALaterOneStarts) {
  source_.add_task(0, "t0");
  source_.write("t0", "setup", "setting up\n");
  ASSERT_TRUE(tail().refresh().ok());
  EXPECT_EQ(take_out(), "[0] setting up\n");
  source_.write("t0", "app", "serving\n");
  ASSERT_TRUE(tail().refresh().ok());
  EXPECT_EQ(take_err(), "instance 0: following process 'app', which started after 'setup'\n");
  ASSERT_TRUE(tail().poll().ok());
  EXPECT_EQ(take_out(), "[0] serving\n");
}

TEST_F(JobTailTest, ANewRunOfTheProcessIsFollowedFromItsStart) {
  source_.add_task(0, "t0");
  source_.write("t0", "app", "run zero\n");
  ASSERT_TRUE(tail().refresh().ok());
  take_out();
  source_.files["t0"]["app"] = FakeSource::File{1, "run one\n"};
  ASSERT_TRUE(tail().refresh().ok());
  ASSERT_TRUE(tail().poll().ok());
  EXPECT_EQ(take_out(), "[0] run one\n");
  EXPECT_EQ(take_err(), "instance 0: process 'app' restarted (run 1)\n");
}

TEST_F(JobTailTest, WaitsForAnUnplacedTaskAndAGivenProcess) {
  settings_.process = "setup";
  source_.tasks[0] = TailTarget{0, "t0", ""};
  ASSERT_TRUE(tail().refresh().ok());
  ASSERT_TRUE(tail().poll().ok());
  EXPECT_EQ(source_.reads, 0);
  source_.add_task(0, "t0");
  source_.write("t0", "app", "not this\n");
  ASSERT_TRUE(tail().refresh().ok());
  ASSERT_TRUE(tail().poll().ok());
  EXPECT_EQ(take_out(), "");
  source_.write("t0", "setup", "this\n");
  ASSERT_TRUE(tail().poll().ok());
  EXPECT_EQ(take_out(), "[0] this\n");  // started after the tail: from its beginning
}

TEST_F(JobTailTest, AnAgentErrorIsSaidOnceAndARefusalEndsTheTail) {
  source_.add_task(0, "t0");
  source_.write("t0", "app", "x\n");
  ASSERT_TRUE(tail().refresh().ok());
  source_.read_errors["t0"] = unavailable("agent at agent:1: connection refused");
  ASSERT_TRUE(tail().poll().ok());
  ASSERT_TRUE(tail().poll().ok());
  EXPECT_EQ(take_err(), "instance 0: agent at agent:1: connection refused\n");
  source_.read_errors["t0"] = permission_denied("agent at agent:1 refused: no grant");
  auto got = tail().poll();
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(JobTailTest, FinishPrintsEachInstancesUnfinishedLine) {
  source_.add_task(0, "t0");
  source_.write("t0", "app", "done\nno newline");
  ASSERT_TRUE(tail().refresh().ok());
  tail().finish();
  EXPECT_EQ(take_out(), "[0] done\n[0] no newline\n");
}

TEST(SshCommandTest, RunsALoginShellOrTheCommandInTheWorkDir) {
  SshTarget t{"www-data", "host-a", "/var/lib/a b/sandbox", {{"http", 31000}, {"admin", 31001}}};
  auto argv = ssh_argv(t, "", "", {});
  ASSERT_TRUE(argv.ok());
  EXPECT_EQ(*argv, (std::vector<std::string>{"ssh", "-t", "www-data@host-a",
                                             "cd '/var/lib/a b/sandbox' && exec $SHELL -l"}));
  argv = ssh_argv(t, "ssh  -i key", "ls -l", {"8080:http"});
  ASSERT_TRUE(argv.ok());
  EXPECT_EQ(*argv,
            (std::vector<std::string>{"ssh", "-i", "key", "-t", "-L", "8080:host-a:31000",
                                      "www-data@host-a", "cd '/var/lib/a b/sandbox' && ls -l"}));
  EXPECT_EQ(shell_join(*argv),
            "ssh -i key -t -L 8080:host-a:31000 www-data@host-a "
            "'cd '\\''/var/lib/a b/sandbox'\\'' && ls -l'");
}

TEST(SshCommandTest, BadTunnelsAreNamed) {
  SshTarget t{"www-data", "host-a", "/w", {{"http", 31000}}};
  EXPECT_EQ(ssh_argv(t, "", "", {"8080:web"}).status().message(),
            "--tunnel '8080:web': the task has no port 'web' (its ports: http)");
  EXPECT_EQ(ssh_argv(t, "", "", {"http"}).status().message(),
            "--tunnel 'http': expected LOCALPORT:NAME with LOCALPORT 1-65535");
  EXPECT_EQ(ssh_argv(t, "", "", {"70000:http"}).status().message(),
            "--tunnel '70000:http': expected LOCALPORT:NAME with LOCALPORT 1-65535");
}

TEST(ShellQuoteTest, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(shell_quote("www-data@host-a"), "www-data@host-a");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
}

json::value spec_with(int64_t instances, const std::string& githash) {
  json::array metadata;
  if (!githash.empty())
    metadata.push_back(json::object{{"key", kGithashMetadata}, {"value", githash}});
  metadata.push_back(json::object{{"key", "other"}, {"value", "x"}});
  return json::object{{"instances", instances}, {"metadata", std::move(metadata)}};
}

TEST(HistoryFormatTest, ReadsMetadataAndInstancesOfASpec) {
  EXPECT_EQ(spec_metadata(spec_with(2, "abc"), kGithashMetadata), "abc");
  EXPECT_EQ(spec_metadata(spec_with(2, ""), kGithashMetadata), "");
  EXPECT_EQ(spec_metadata(json::value(), kGithashMetadata), "");
  EXPECT_EQ(spec_instances(spec_with(4, "")), 4);
  EXPECT_EQ(spec_instances(json::object{}), -1);
}

JobHistory sample_history() {
  JobHistory h;
  h.job = "devcluster/www-data/prod/web";
  h.current_config = "v3";
  h.current_instances = 4;
  h.entries.push_back({"update", "u2", "ROLLING_FORWARD", 1700000120000, 0, "alice", "next build",
                       "v3", 4, "cccc", "web"});
  h.entries.push_back(
      {"update", "u1", "ROLLED_FORWARD", 1700000060000, 1700000090000, "", "", "v2", 4, "", ""});
  h.entries.push_back(
      {"create", "", "CREATED", 1700000000000, 0, "bob", "", "v1", 2, "aaaa", "web"});
  return h;
}

TEST(HistoryFormatTest, NewestFirstWithSizeChangesAndMissingMetadataAsDashes) {
  EXPECT_EQ(format_utc(1700000000000), "2023-11-14 22:13:20");
  EXPECT_EQ(format_history(sample_history()),
            "KIND    UPDATE  STATUS           STARTED (UTC)        ENDED (UTC)          BY     "
            "INSTANCES  GITHASH  BUILD  MESSAGE\n"
            "update  u2      ROLLING_FORWARD  2023-11-14 22:15:20  -                    alice  "
            "4          cccc     web    next build\n"
            "update  u1      ROLLED_FORWARD   2023-11-14 22:14:20  2023-11-14 22:14:50  -      "
            "4 (+2)     -        -      -\n"
            "create  -       CREATED          2023-11-14 22:13:20  -                    bob    "
            "2          aaaa     web    -\n"
            "Now: version v3, 4 instances (+2 since the create's 2)\n");
  JobHistory none;
  none.job = "devcluster/www-data/prod/web";
  EXPECT_EQ(format_history(none), "No history for devcluster/www-data/prod/web.\n");
}

TEST(HistoryFormatTest, JsonHasEveryField) {
  json::value v = history_json(sample_history());
  EXPECT_EQ(v.at("job"), "devcluster/www-data/prod/web");
  EXPECT_EQ(v.at("history").as_array().size(), 3u);
  EXPECT_EQ(v.at("history").at(0).at("githash"), "cccc");
  EXPECT_EQ(v.at("history").at(1).at("ended_ms"), 1700000090000);
  EXPECT_EQ(v.at("history").at(2).at("kind"), "create");
  EXPECT_EQ(v.at("history").at(2).at("user"), "bob");
  EXPECT_EQ(v.at("current").at("instances"), 4);
}

// Option errors are usage errors (exit 2) found before anything is sent: the cluster in
// the key is unknown, so any request would fail with 1 instead.
TEST(HistoryCommandsTest, OptionErrorsExitTwo) {
  CliEnv env;
  auto run = [&](const std::vector<std::string>& args) { return testing::run_captured(args, env); };
  auto ssh = run({"task", "ssh", "nowhere/www-data/prod/web"});
  EXPECT_EQ(ssh.code, 2);
  EXPECT_THAT(ssh.err, HasSubstr("must name one instance: CLUSTER/ROLE/ENV/NAME/INSTANCE"));
  EXPECT_EQ(run({"task", "ssh", "nowhere/www-data/prod/web/0-1"}).code, 2);
  auto stream = run({"job", "tail", "nowhere/www-data/prod/web", "--stream", "stdin"});
  EXPECT_EQ(stream.code, 2);
  EXPECT_THAT(stream.err, HasSubstr("--stream"));
  auto instances = run({"job", "tail", "nowhere/www-data/prod/web", "--instances", "3-1"});
  EXPECT_EQ(instances.code, 2);
  EXPECT_THAT(instances.err, HasSubstr("--instances: "));
  EXPECT_EQ(run({"job", "tail", "nowhere/www-data/prod/web", "--lines", "-1"}).code, 2);
  EXPECT_EQ(run({"job", "logs", "nowhere/www-data/prod/web", "--tail", "-1"}).code, 2);
  auto logs_range = run({"job", "logs", "nowhere/www-data/prod/web/3-1"});
  EXPECT_EQ(logs_range.code, 2);
  EXPECT_THAT(logs_range.err, HasSubstr("3-1"));
  auto logs_unknown = run({"job", "logs", "nowhere/www-data/prod/web/0-2", "--stderr", "-f"});
  EXPECT_EQ(logs_unknown.code, 1);  // parsed; the cluster is unknown
  EXPECT_THAT(logs_unknown.err, HasSubstr("nowhere"));
  EXPECT_EQ(run({"task", "run", "nowhere/www-data/prod/web"}).code, 2);  // no command
  EXPECT_EQ(run({"task", "run", "nowhere/www-data/prod/web", "--timeout", "0", "--", "id"}).code,
            2);
  EXPECT_EQ(run({"task", "run", "nowhere/www-data/prod/web/x", "--", "id"}).code, 2);
  auto run_unknown = run({"task", "run", "nowhere/www-data/prod/web/0", "--", "ls", "-l"});
  EXPECT_EQ(run_unknown.code, 1);
  EXPECT_THAT(run_unknown.err, HasSubstr("nowhere"));
  EXPECT_EQ(run({"job", "history", "nowhere/www-data/prod/web", "--limit", "0"}).code, 2);
  EXPECT_EQ(run({"job", "history", "nowhere/www-data/prod"}).code, 2);
  auto unknown = run({"job", "history", "nowhere/www-data/prod/web"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("nowhere"));
}

}  // namespace
}  // namespace borealis::cli
