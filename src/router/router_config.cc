#include "router/router_config.h"

#include <algorithm>
#include <set>

#include "common/env.h"
#include "common/files.h"
#include "manage/yaml_reader.h"
#include "zk/node_path.h"

namespace borealis::router {

namespace {

constexpr size_t kMaxConfigBytes = 1024 * 1024;
constexpr size_t kMaxServices = 256;
constexpr size_t kMaxNameBytes = 64;

bool is_service_name(const std::string& s) {
  if (s.empty() || s.size() > kMaxNameBytes) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// A value that goes into haproxy.cfg as one word: no space, quote, '#' or control byte.
bool is_config_word(const std::string& s) {
  return !s.empty() && s.size() <= 4096 && std::all_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && c != '"' && c != '\'' && c != '#' && c != '\\' &&
           c != 0x7f;
  });
}

bool is_absolute_path(const std::string& s) { return is_config_word(s) && s[0] == '/'; }

class Parser {
 public:
  explicit Parser(const std::string& file) : y_(file) {}

  Result<RouterConfig> parse(const std::string& text) {
    BOREALIS_ASSIGN_OR_RETURN(YAML::Node root, y_.parse(text));
    BOREALIS_RETURN_IF_ERROR(y_.only_keys(root, {"services", "haproxy"}, "the router config"));
    RouterConfig config;
    if (!root["haproxy"]) return invalid_argument(y_.file() + ": missing key 'haproxy'");
    BOREALIS_RETURN_IF_ERROR(haproxy(root["haproxy"], config.haproxy));
    YAML::Node services = root["services"];
    if (!services) return invalid_argument(y_.file() + ": missing key 'services'");
    if (!services.IsMap() || services.size() == 0)
      return y_.error(services, "services must be a map of service names to services");
    if (services.size() > kMaxServices)
      return y_.error(services, "at most " + std::to_string(kMaxServices) + " services");
    std::set<int> ports;
    for (const auto& kv : services) {
      ServiceConfig s;
      BOREALIS_ASSIGN_OR_RETURN(s.name, y_.string(kv.first, "a service name"));
      if (!is_service_name(s.name))
        return y_.error(kv.first, "service name '" + s.name +
                                      "' must be 1-64 of a-z, 0-9, '_' and '-' (it names the "
                                      "HAProxy backend)");
      BOREALIS_RETURN_IF_ERROR(service(kv.second, s));
      if (!ports.insert(s.port).second || s.port == config.haproxy.stats_port)
        return y_.error(kv.second["port"], "port " + std::to_string(s.port) + " is used twice");
      config.services.push_back(std::move(s));
    }
    std::sort(config.services.begin(), config.services.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return config;
  }

 private:
  Result<bool> boolean(const YAML::Node& n, std::string_view what) {
    if (n.IsScalar() && (n.Scalar() == "true" || n.Scalar() == "false"))
      return n.Scalar() == "true";
    return y_.error(n, std::string(what) + " must be true or false");
  }
  Result<int> integer(const YAML::Node& n, std::string_view what, int min, int max) {
    BOREALIS_ASSIGN_OR_RETURN(int64_t v, y_.integer(n, what, min, max));
    return static_cast<int>(v);
  }
  Result<std::string> word(const YAML::Node& n, std::string_view what) {
    BOREALIS_ASSIGN_OR_RETURN(std::string v, y_.string(n, what));
    if (!is_config_word(v))
      return y_.error(n, std::string(what) + " must be one word without quotes or '#'");
    return v;
  }
  Result<std::string> path(const YAML::Node& n, std::string_view what) {
    BOREALIS_ASSIGN_OR_RETURN(std::string v, word(n, what));
    if (!is_absolute_path(v)) return y_.error(n, std::string(what) + " must be an absolute path");
    return v;
  }
  Result<std::vector<std::string>> lines(const YAML::Node& n, std::string_view what) {
    if (!n.IsSequence()) return y_.error(n, std::string(what) + " must be a list of lines");
    std::vector<std::string> out;
    for (const auto& line : n) {
      BOREALIS_ASSIGN_OR_RETURN(std::string v, y_.string(line, what));
      if (std::any_of(v.begin(), v.end(), [](char c) { return c == '\n' || c == '\r'; }))
        return y_.error(line, std::string(what) + " entries must be single lines");
      out.push_back(std::move(v));
    }
    return out;
  }

  Status service(const YAML::Node& n, ServiceConfig& s) {
    const std::string where = "service '" + s.name + "'";
    BOREALIS_RETURN_IF_ERROR(y_.only_keys(
        n, {"serverset", "port", "endpoint", "bind", "mode", "slots", "keep_last_known", "check"},
        where));
    if (!n["serverset"] || !n["port"]) return y_.error(n, where + " needs 'serverset' and 'port'");
    BOREALIS_ASSIGN_OR_RETURN(s.serverset, path(n["serverset"], "serverset"));
    if (Status valid = zk::validate_node_path(s.serverset); !valid.ok())
      return y_.error(n["serverset"], "serverset: " + valid.message());
    BOREALIS_ASSIGN_OR_RETURN(s.port, integer(n["port"], "port", 1, 65535));
    if (n["endpoint"]) {
      BOREALIS_ASSIGN_OR_RETURN(s.endpoint, word(n["endpoint"], "endpoint"));
    }
    if (n["bind"]) {
      BOREALIS_ASSIGN_OR_RETURN(s.bind, word(n["bind"], "bind"));
    }
    if (YAML::Node m = n["mode"]) {
      if (!m.IsScalar() || (m.Scalar() != "http" && m.Scalar() != "tcp"))
        return y_.error(m, "mode must be http or tcp");
      s.mode = m.Scalar() == "http" ? ProxyMode::kHttp : ProxyMode::kTcp;
    }
    if (n["slots"]) {
      BOREALIS_ASSIGN_OR_RETURN(s.slots, integer(n["slots"], "slots", 1, kMaxSlots));
    }
    if (n["keep_last_known"]) {
      BOREALIS_ASSIGN_OR_RETURN(s.keep_last_known,
                                boolean(n["keep_last_known"], "keep_last_known"));
    }
    if (YAML::Node c = n["check"]) {
      BOREALIS_RETURN_IF_ERROR(
          y_.only_keys(c, {"http_path", "interval_ms", "rise", "fall"}, where + " check"));
      HealthCheck check;
      if (c["http_path"]) {
        BOREALIS_ASSIGN_OR_RETURN(check.http_path, path(c["http_path"], "check http_path"));
        if (s.mode != ProxyMode::kHttp)
          return y_.error(c["http_path"], "an HTTP check needs mode http");
      }
      if (c["interval_ms"]) {
        BOREALIS_ASSIGN_OR_RETURN(check.interval_ms,
                                  integer(c["interval_ms"], "check interval_ms", 100, 600000));
      }
      if (c["rise"]) {
        BOREALIS_ASSIGN_OR_RETURN(check.rise, integer(c["rise"], "check rise", 1, 100));
      }
      if (c["fall"]) {
        BOREALIS_ASSIGN_OR_RETURN(check.fall, integer(c["fall"], "check fall", 1, 100));
      }
      s.check = check;
    }
    return Status::ok_status();
  }

  Status haproxy(const YAML::Node& n, HaproxyConfig& h) {
    BOREALIS_RETURN_IF_ERROR(y_.only_keys(n,
                                          {"config_path", "binary", "socket_dir", "external",
                                           "min_reload_interval_ms", "stats", "global", "defaults"},
                                          "haproxy"));
    if (!n["config_path"]) return y_.error(n, "haproxy needs 'config_path'");
    BOREALIS_ASSIGN_OR_RETURN(h.config_path, path(n["config_path"], "haproxy config_path"));
    if (n["binary"]) {
      BOREALIS_ASSIGN_OR_RETURN(h.binary, path(n["binary"], "haproxy binary"));
    }
    if (n["socket_dir"]) {
      BOREALIS_ASSIGN_OR_RETURN(h.socket_dir, path(n["socket_dir"], "haproxy socket_dir"));
    }
    if (YAML::Node e = n["external"]) {
      BOREALIS_RETURN_IF_ERROR(y_.only_keys(e, {"reload_command"}, "haproxy external"));
      if (!e["reload_command"]) return y_.error(e, "haproxy external needs 'reload_command'");
      BOREALIS_ASSIGN_OR_RETURN(h.reload_command,
                                y_.string(e["reload_command"], "external reload_command"));
    }
    if (n["min_reload_interval_ms"]) {
      BOREALIS_ASSIGN_OR_RETURN(
          h.min_reload_interval_ms,
          integer(n["min_reload_interval_ms"], "min_reload_interval_ms", 0, 3600000));
    }
    if (YAML::Node st = n["stats"]) {
      BOREALIS_RETURN_IF_ERROR(y_.only_keys(st, {"bind", "port"}, "haproxy stats"));
      if (!st["port"]) return y_.error(st, "haproxy stats needs 'port'");
      BOREALIS_ASSIGN_OR_RETURN(h.stats_port, integer(st["port"], "stats port", 1, 65535));
      if (st["bind"]) {
        BOREALIS_ASSIGN_OR_RETURN(h.stats_bind, word(st["bind"], "stats bind"));
      }
    }
    if (n["global"]) {
      BOREALIS_ASSIGN_OR_RETURN(h.global_extra, lines(n["global"], "haproxy global"));
    }
    if (n["defaults"]) {
      BOREALIS_ASSIGN_OR_RETURN(h.defaults_extra, lines(n["defaults"], "haproxy defaults"));
    }
    return Status::ok_status();
  }

  manage::YamlReader y_;
};

}  // namespace

const char* proxy_mode_name(ProxyMode mode) { return mode == ProxyMode::kHttp ? "http" : "tcp"; }

std::string HaproxyConfig::admin_socket() const {
  return (socket_dir.empty() ? parent_dir(config_path) : socket_dir) + "/haproxy-admin.sock";
}

std::string HaproxyConfig::master_socket() const {
  return (socket_dir.empty() ? parent_dir(config_path) : socket_dir) + "/haproxy-master.sock";
}

Result<RouterConfig> parse_router_config(const std::string& text, const std::string& file) {
  return Parser(file).parse(text);
}

Result<RouterConfig> load_router_config(const std::string& file) {
  BOREALIS_ASSIGN_OR_RETURN(std::string text, read_file(file, "router config", kMaxConfigBytes));
  return parse_router_config(text, file);
}

}  // namespace borealis::router
