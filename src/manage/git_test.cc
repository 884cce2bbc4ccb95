#include "manage/git.h"

#include <gtest/gtest.h>

#include "common/strings.h"
#include "manage/managed_job.h"
#include "testing/temp_dir.h"

namespace borealis::manage {
namespace {

// A work tree with a bare "origin": one commit pushed to origin/main, one only on a branch.
class GitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    origin_ = dir_.path() + "/origin.git";
    work_ = dir_.path() + "/work";
    git(dir_.path(), {"init", "-q", "--bare", "-b", "main", origin_});
    git(dir_.path(), {"init", "-q", "-b", "main", work_});
    git(work_, {"config", "user.email", "t@example.com"});
    git(work_, {"config", "user.name", "t"});
    git(work_, {"remote", "add", "origin", origin_});
    merged_ = commit("one");
    git(work_, {"push", "-q", "origin", "main"});
    git(work_, {"checkout", "-q", "-b", "feature"});
    unmerged_ = commit("two");
  }

  std::string git(const std::string& dir, const std::vector<std::string>& args) {
    auto r = run_git(dir, args);
    EXPECT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->exit_code, 0) << join(args, " ") << ": " << r->err;
    return std::string(trim(r->out));
  }
  std::string commit(const std::string& msg) {
    git(work_, {"commit", "-q", "--allow-empty", "-m", msg});
    return git(work_, {"rev-parse", "HEAD"});
  }

  // A prod job of the work tree's configs at `githash`.
  ManagedJob prod_job(const std::string& githash) {
    ManagedJob job;
    job.configs_dir = work_;
    job.profile.stage = "prod";
    job.profile.stage_file = work_ + "/j.yaml";
    job.profile.buildname = "b";
    job.profile.githash = githash;
    job.profile.githash_at = work_ + "/j.yaml:3";
    return job;
  }

  testing::TempDir dir_;
  std::string origin_, work_, merged_, unmerged_;
};

TEST_F(GitTest, FindsTheTopLevel) {
  auto top = git_toplevel(work_);
  ASSERT_TRUE(top.ok()) << top.status().message();
  EXPECT_EQ(*top, work_);
  EXPECT_EQ(git_toplevel("/").status().code(), StatusCode::kNotFound);
}

TEST_F(GitTest, AnswersAncestry) {
  EXPECT_TRUE(*git_is_ancestor(work_, merged_, "origin/main"));
  EXPECT_FALSE(*git_is_ancestor(work_, unmerged_, "origin/main"));
  EXPECT_TRUE(*git_is_ancestor(work_, unmerged_, "feature"));
  EXPECT_TRUE(*git_has_commit(work_, merged_.substr(0, 7)));
  EXPECT_FALSE(*git_has_commit(work_, "deadbeefdeadbeef"));
  EXPECT_EQ(git_is_ancestor(work_, merged_, "origin/trunk").status().code(), StatusCode::kNotFound);
}

TEST_F(GitTest, ProdTakesOnlyMergedCommits) {
  EXPECT_TRUE(check_prod(prod_job(merged_)).ok());
  Status unmerged = check_prod(prod_job(unmerged_));
  EXPECT_EQ(unmerged.message(), "githash " + unmerged_.substr(0, 12) + " (" + work_ +
                                    "/j.yaml:3) is not on origin/main: merge it and push, then "
                                    "`git fetch origin` (prod deploys only merged commits)");
  Status unknown = check_prod(prod_job("deadbeefdeadbeef"));
  EXPECT_NE(unknown.message().find("githash deadbeefdead (" + work_ +
                                   "/j.yaml:3) is not a commit of the repository at"),
            std::string::npos)
      << unknown.message();
  ManagedJob no_hash = prod_job("");
  EXPECT_NE(check_prod(no_hash).message().find("has no githash"), std::string::npos);

  // After the merge and the push, the same commit is accepted.
  git(work_, {"checkout", "-q", "main"});
  git(work_, {"merge", "-q", "--ff-only", "feature"});
  EXPECT_FALSE(check_prod(prod_job(unmerged_)).ok());  // not pushed yet
  git(work_, {"push", "-q", "origin", "main"});
  EXPECT_TRUE(check_prod(prod_job(unmerged_)).ok());
}

TEST_F(GitTest, TheMainRefComesFromTheSettings) {
  ManagedJob job = prod_job(unmerged_);
  job.settings.git_remote = "";
  job.settings.git_branch = "feature";
  EXPECT_TRUE(check_prod(job).ok());
  job.settings.git_branch = "release";
  Status st = check_prod(job);
  EXPECT_NE(st.message().find("has no release"), std::string::npos) << st.message();
}

TEST_F(GitTest, FindsTheConfigsDirAtTheGitRoot) {
  Locations where;
  where.cwd = work_;
  auto none = find_configs_dir(where);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find(
                "pass --configs DIR, set BOREALIS_CONFIGS, or run inside a git repository"),
            std::string::npos);
  dir_.write("work/borealis/configs/settings.yaml", "");
  dir_.write("work/sub/x", "");
  where.cwd = work_ + "/sub";
  EXPECT_EQ(*find_configs_dir(where), work_ + "/borealis/configs");
  where.configs_env = dir_.path();
  EXPECT_EQ(*find_configs_dir(where), dir_.path());
  where.configs_flag = dir_.path() + "/nope";
  EXPECT_EQ(find_configs_dir(where).status().message(),
            "configs dir " + dir_.path() + "/nope (from --configs) does not exist");
}

}  // namespace
}  // namespace borealis::manage
