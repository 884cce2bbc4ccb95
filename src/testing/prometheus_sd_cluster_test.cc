// The real proof of GET /api/v1/prometheus/targets (docs/metrics.md, "Scraping the jobs"):
// Debian's `prometheus`, given only an http_sd_config pointed at a real scheduler, finds
// both instances of an announced job and scrapes them under their role, environment, job
// and instance. The test's Prometheus runs on loopback and dies with the test process.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "net/http_client.h"
#include "testing/cluster.h"
#include "testing/temp_dir.h"
#include "testing/wait_until.h"

namespace borealis::testing {
namespace {

// A loopback port the kernel has free now (Prometheus takes its address as a flag).
uint16_t free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

// `prometheus` with `config` in a temp dir, on 127.0.0.1:port(); killed by the destructor.
class PrometheusProcess {
 public:
  explicit PrometheusProcess(const std::string& config) : port_(free_loopback_port()) {
    std::string config_file = dir_.write("prometheus.yml", config), log = dir_ / "log.txt";
    std::vector<std::string> args = {"/usr/bin/prometheus", "--config.file=" + config_file,
                                     "--storage.tsdb.path=" + (dir_ / "data"),
                                     "--web.listen-address=127.0.0.1:" + std::to_string(port_),
                                     "--log.level=warn"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (!std::freopen(log.c_str(), "a", stdout) || !std::freopen(log.c_str(), "a", stderr))
        ::_exit(126);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~PrometheusProcess() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  PrometheusProcess(const PrometheusProcess&) = delete;
  PrometheusProcess& operator=(const PrometheusProcess&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string log() const {
    std::ifstream f(dir_ / "log.txt");
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }

 private:
  TempDir dir_{"borealis-prometheus"};
  uint16_t port_;
  pid_t pid_ = -1;
};

// Two instances serving fixed files on their `http` port, announced with it: /metrics, and
// /health answering `ok` for the default HTTP health check (RUNNING once it passes).
json::value probe_job() {
  json::object process{{"name", "serve"},
                       {"cmdline",
                        "printf 'borealis_sd_probe 1\\n' > metrics && printf ok > health && "
                        "exec python3 -m http.server {{thermos.ports[http]}} --bind 127.0.0.1"}};
  return json::object{
      {"name", "probe"},
      {"role", "www-data"},
      {"environment", "test"},
      {"cluster", "devcluster"},
      {"instances", 2},
      {"service", true},
      {"announce", json::object{{"primary_port", "http"}}},
      {"task", json::object{{"processes", json::array{process}},
                            {"resources",
                             json::object{{"cpu", 0.25}, {"ram", 64 << 20}, {"disk", 16 << 20}}}}}};
}

TEST(PrometheusSdClusterTest, PrometheusDiscoversAndScrapesEachAnnouncedInstance) {
  auto begin = std::chrono::steady_clock::now();
  ClusterOptions o;
  o.agents = {AgentSpec{.hostname = "127.0.0.1"}};  // so Prometheus can reach the tasks
  auto c = Cluster::start(std::move(o));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  std::unique_ptr<Cluster> cluster = std::move(c).value();
  auto created = cluster->create_job(probe_job());
  ASSERT_TRUE(created.ok()) << created.status().to_string();
  Status running = cluster->wait_running("www-data/test/probe", 2);
  ASSERT_TRUE(running.ok()) << running.to_string();

  PrometheusProcess prometheus(R"(global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: borealis-jobs
    http_sd_configs:
      - url: )" + cluster->scheduler_url() +
                               R"(/api/v1/prometheus/targets
        refresh_interval: 1s
)");
  auto client = net::HttpClient::create(prometheus.url());
  ASSERT_TRUE(client.ok()) << client.status().to_string();
  std::set<std::string> up;  // "role/environment/job/instance" of the healthy targets
  std::string last;
  bool found = wait_until(
      [&] {
        auto r = (*client)->get("/api/v1/targets?state=active");
        if (!r.ok() || r->status != 200) return false;
        last = r->body;
        auto doc = parse_json(r->body);
        if (!doc.ok()) return false;
        up.clear();
        for (const json::value& t : doc->at("data").at("activeTargets").as_array()) {
          if (t.at("health").as_string() != "up") continue;
          const json::object& l = t.at("labels").as_object();
          auto label = [&](const char* name) {
            const json::value* v = l.if_contains(name);
            return v ? std::string(v->as_string()) : std::string("?");
          };
          up.insert(label("role") + "/" + label("environment") + "/" + label("job") + "/" +
                    label("instance"));
        }
        return up.size() == 2;
      },
      std::chrono::seconds(15), std::chrono::milliseconds(200));
  EXPECT_TRUE(found) << "Prometheus' targets: " << last << "\nits log: " << prometheus.log();
  EXPECT_EQ(up, (std::set<std::string>{"www-data/test/probe/0", "www-data/test/probe/1"}));
  std::printf("Prometheus discovered and scraped both instances in %lld ms\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - begin)
                                         .count()));
}

}  // namespace
}  // namespace borealis::testing
