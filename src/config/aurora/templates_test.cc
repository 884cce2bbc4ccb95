// The template library's job patterns (docs/templates.md) load into valid JobSpecs: the
// processes, their order, the named ports, resources and health check a JobSpec carries.
// The pieces themselves are tested in python_tests/test_templates.py.
#include <gtest/gtest.h>

#include "config/aurora/aurora_loader.h"
#include "config/aurora/library_templates.h"

namespace borealis::config {
namespace {

// A profile given by hand, as a config run outside `borealis manage` does.
const char kPatterns[] = R"py(
from borealis.templates import *
P = Profile(name='api', user='www-data', stage='devel', cluster='c1', buildname='api',
            cpu=0.5, ram_mb=256, disk_mb=64, instances=3,
            taskargs={'workers': '2', 'credentials_file': '/etc/api.tokens',
                      'health_url': '/private/stats/', 'note': "it's $(id)"})
jobs = [
  python_api_server(profile=P, command='python3 app.py'),
  python_worker(profile=P(name='worker'), command='python3 work.py', args={'--n': '1'}),
  jvm_worker(profile=P(name='consumer'), jar='consumer.jar', jmx=True),
]
)py";

std::vector<std::string> names(const jobspec::Task& task) {
  std::vector<std::string> out;
  for (const auto& p : task.processes) out.push_back(p.name);
  return out;
}

TEST(TemplatesTest, PatternsLoadIntoValidJobSpecs) {
  auto jobs = load_aurora_text("patterns.aurora", kPatterns);
  ASSERT_TRUE(jobs.ok()) << jobs.status().to_string();
  ASSERT_EQ(jobs->size(), 3u);
  for (const auto& job : *jobs) ASSERT_TRUE(job.status.ok()) << job.status.to_string();

  const LoadedJob& api = (*jobs)[0];
  EXPECT_EQ(api.key.to_string(), "c1/www-data/devel/api");
  EXPECT_EQ(api.spec.instances, 3);
  EXPECT_TRUE(api.spec.service);
  EXPECT_EQ(names(api.spec.task),
            (std::vector<std::string>{"server", "auth_proxy", "health_check"}));
  EXPECT_TRUE(api.spec.task.constraints.empty());  // no installer without an artifact
  EXPECT_EQ(api.ports, (std::vector<std::string>{"health", "http", "private"}));
  ASSERT_TRUE(api.spec.announce.has_value());
  EXPECT_EQ(api.spec.announce->primary_port, "http");
  ASSERT_TRUE(api.spec.health_check_config.health_checker.http.has_value());
  EXPECT_EQ(api.spec.health_check_config.health_checker.http->endpoint, "/health");
  ASSERT_TRUE(api.spec.task.resources.has_value());
  EXPECT_EQ(api.spec.task.resources->cpu, 0.5);
  EXPECT_EQ(api.spec.task.resources->ram, 256LL << 20);
  EXPECT_EQ(api.spec.task.resources->disk, 64LL << 20);
  EXPECT_EQ(api.spec.task.processes[0].cmdline,
            "python3 app.py --port '{{thermos.ports[private]}}' --workers 2 --note 'it'\"'\"'s "
            "$(id)'");

  const LoadedJob& worker = (*jobs)[1];
  EXPECT_EQ(worker.key.to_string(), "c1/www-data/devel/worker");
  EXPECT_FALSE(worker.spec.service);
  EXPECT_TRUE(worker.ports.empty());
  EXPECT_EQ(worker.spec.task.processes.at(0).cmdline, "python3 work.py --n 1");

  const LoadedJob& consumer = (*jobs)[2];
  EXPECT_TRUE(consumer.spec.service);
  EXPECT_EQ(consumer.ports, std::vector<std::string>{"jmx"});
  const std::string& java = consumer.spec.task.processes.at(0).cmdline;
  EXPECT_EQ(java.rfind("java -Xmx192m -XX:+UseG1GC ", 0), 0u) << java;
  EXPECT_NE(java.find(" -jar consumer.jar --workers 2 "), std::string::npos) << java;
}

TEST(TemplatesTest, BindOverridesTheProfilesInstances) {
  auto jobs = load_aurora_text("patterns.aurora", kPatterns, {{"profile.instances", "5"}});
  ASSERT_TRUE(jobs.ok()) << jobs.status().to_string();
  ASSERT_TRUE((*jobs)[0].status.ok()) << (*jobs)[0].status.to_string();
  EXPECT_EQ((*jobs)[0].spec.instances, 5);
}

TEST(TemplatesTest, OutsideManageTheErrorNamesTheLine) {
  auto jobs = load_aurora_text("w.aurora",
                               "from borealis.templates import *\n"
                               "jobs = [python_worker()]\n");
  ASSERT_FALSE(jobs.ok());
  EXPECT_EQ(jobs.status().message(),
            "w.aurora:2: make_profile() works only under `borealis manage` (it reads the job's "
            "<job>.yaml)");
}

TEST(TemplatesTest, LibraryTemplateNamesBecomeConfigs) {
  EXPECT_TRUE(is_library_template("borealis/python_worker"));
  EXPECT_FALSE(is_library_template("igor_worker"));
  EXPECT_FALSE(is_library_template("borealisx/y"));
  auto text = library_template_source("borealis/python_worker");
  ASSERT_TRUE(text.ok()) << text.status().to_string();
  EXPECT_EQ(*text,
            "from borealis.templates import library_jobs\njobs = library_jobs('python_worker')\n");
  for (const char* bad : {"borealis/", "borealis/x')", "borealis/a/b", "borealis/1x", "igor"})
    EXPECT_FALSE(library_template_source(bad).ok()) << bad;
  // An unknown name fails when its text runs, listing the library's templates.
  auto jobs = load_aurora_text("borealis/nope.aurora", *library_template_source("borealis/nope"));
  ASSERT_FALSE(jobs.ok());
  EXPECT_EQ(jobs.status().message(),
            "borealis/nope.aurora:2: no library template 'nope': there are borealis/jvm_worker, "
            "borealis/python_api_server, borealis/python_worker");
}

}  // namespace
}  // namespace borealis::config
