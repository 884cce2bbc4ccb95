#include "config/aurora/aurora_checks.h"

#include <cmath>
#include <map>
#include <set>
#include <string>

#include "common/job_key.h"
#include "common/strings.h"
#include "taskcontract/runtime_refs.h"
#include "template/template.h"

namespace borealis::config {

namespace {

constexpr int64_t kMiB = 1024 * 1024;

Status field_error(const std::string& path, const std::string& message) {
  return invalid_argument(path + ": " + message);
}

const json::value* member(const json::value* v, std::string_view key) {
  if (v == nullptr || !v->is_object()) return nullptr;
  const json::value* out = v->get_object().if_contains(key);
  return (out != nullptr && !out->is_null()) ? out : nullptr;
}

std::string string_or(const json::value* v, std::string fallback = "") {
  return (v != nullptr && v->is_string()) ? std::string(v->get_string()) : fallback;
}

std::optional<int64_t> integer(const json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  return std::nullopt;
}

std::optional<double> number(const json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (auto i = integer(v)) return static_cast<double>(*i);
  return std::nullopt;
}

bool is_port_reference(const tmpl::Ref& ref) {
  return ref.in_scope("thermos") && ref.path.size() >= 2 && ref.path[1].text == "ports";
}

Status check_string(const std::string& path, std::string_view text) {
  if (text.find("{{") == std::string_view::npos) return Status();
  auto refs = tmpl::references(text);
  if (!refs.ok()) return field_error(path, refs.status().message());
  for (const auto& ref : *refs) {
    std::string address = ref.to_string();
    if (is_port_reference(ref) &&
        (ref.path.size() != 3 || ref.path[2].kind != tmpl::RefComponent::Kind::kIndex)) {
      return field_error(path, "bad port reference {{" + address +
                                   "}}: a port is named as {{thermos.ports[NAME]}}");
    }
    if (!taskcontract::is_runtime_reference(address))
      return field_error(path, "unbound reference {{" + address + "}}: nothing in the config " +
                                   "or on the command line (--bind) gives it a value");
  }
  return Status();
}

Status walk_strings(const std::string& path, const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return check_string(path, v.get_string());
    case json::kind::array: {
      const auto& a = v.get_array();
      for (size_t i = 0; i < a.size(); ++i)
        BOREALIS_RETURN_IF_ERROR(walk_strings(path + "[" + std::to_string(i) + "]", a[i]));
      return Status();
    }
    case json::kind::object:
      for (const auto& kv : v.get_object()) {
        std::string key(kv.key());
        BOREALIS_RETURN_IF_ERROR(walk_strings(path.empty() ? key : path + "." + key, kv.value()));
      }
      return Status();
    default:
      return Status();
  }
}

Status check_resources(const json::value& job) {
  const json::value* res = member(member(&job, "task"), "resources");
  for (const char* field : {"ram", "disk"}) {
    auto bytes = integer(member(res, field));
    // Aurora gives Mesos whole MiB: less than one is nothing.
    if (bytes && *bytes<kMiB&& * bytes> 0)
      return field_error(std::string("task.resources.") + field,
                         "must be at least 1 MiB (" + std::to_string(kMiB) + " bytes), got " +
                             std::to_string(*bytes));
  }
  return Status();
}

std::optional<std::string> dedicated_value(const json::value& job) {
  const json::value* v = member(member(&job, "constraints"), "dedicated");
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

Status check_dedicated(const json::value& job) {
  auto value = dedicated_value(job);
  if (!value) return Status();
  const std::string path = "constraints[dedicated]";
  if (starts_with(*value, "limit:"))
    return field_error(path, "a dedicated constraint must name a value, not a limit");
  std::string v = starts_with(*value, "!") ? value->substr(1) : *value;
  if (v.find(',') != std::string::npos)
    return field_error(path, "a dedicated constraint must have exactly one value, got '" + v + "'");
  std::string role = split(v, '/')[0];
  std::string job_role = string_or(member(&job, "role"));
  if (role != "*" && role != job_role)
    return field_error(path, "only role '" + role + "' may use hosts dedicated to it");
  // Aurora: a dedicated job must tolerate losing 2% of its instances during an update.
  auto instances = integer(member(&job, "instances")).value_or(1);
  auto max_failures =
      integer(member(member(&job, "update_config"), "max_total_failures")).value_or(0);
  int64_t minimum = static_cast<int64_t>(std::floor(static_cast<double>(instances) * 0.02));
  if (max_failures < minimum)
    return field_error("update_config.max_total_failures",
                       "a dedicated job of " + std::to_string(instances) +
                           " instances must allow at least " + std::to_string(minimum) +
                           " (2%), got " + std::to_string(max_failures));
  return Status();
}

Status check_announce(const json::value& job) {
  const json::value* portmap = member(member(&job, "announce"), "portmap");
  if (portmap == nullptr || !portmap->is_object()) return Status();
  std::map<std::string, std::string> aliases;
  for (const auto& kv : portmap->get_object())
    aliases[std::string(kv.key())] = string_or(&kv.value());
  bool dedicated = dedicated_value(job).has_value();
  for (const auto& [name, target] : aliases) {
    std::set<std::string> seen = {name};
    std::string at = target;
    while (aliases.contains(at)) {
      if (!seen.insert(at).second)
        return field_error("announce.portmap", "port aliases form a cycle through '" + at + "'");
      at = aliases.at(at);
    }
    if (parse_int64(target) && !dedicated)
      return field_error("announce.portmap[" + name + "]",
                         "a static port (" + target +
                             ") needs a 'dedicated' constraint: nothing else stops two tasks "
                             "from taking the same port on one host");
  }
  return Status();
}

Status check_sla(const json::value& job) {
  const json::value* sla = member(&job, "sla_policy");
  if (sla == nullptr) return Status();
  int64_t instances = integer(member(&job, "instances")).value_or(1);
  if (auto count = integer(member(sla, "count"))) {
    if (instances - *count < 1)
      return field_error("sla_policy.count",
                         std::to_string(*count) + " active instances of " +
                             std::to_string(instances) +
                             " leaves none to drain; it must be less than instances");
  }
  if (auto pct = number(member(sla, "percentage"))) {
    double n = static_cast<double>(instances);
    if (n - n * (*pct / 100.0) < 1)
      return field_error(
          "sla_policy.percentage",
          "with " + std::to_string(instances) + " instances this percentage leaves none to drain");
  }
  return Status();
}

Status check_misc(const json::value& job) {
  if (const json::value* tier = member(&job, "tier")) {
    BOREALIS_RETURN_IF_ERROR(validate_identifier("tier", string_or(tier)));
  }
  std::string executor = string_or(member(member(&job, "executor_config"), "name"));
  if (!executor.empty() && executor != "AuroraExecutor")
    return field_error("executor_config.name",
                       "executor '" + executor +
                           "' is not available: Borealis runs every task with its own runner "
                           "(Aurora's default, AuroraExecutor)");
  return Status();
}

}  // namespace

Status check_references(const json::value& job) { return walk_strings("", job); }

Status check_aurora_rules(const json::value& job) {
  BOREALIS_RETURN_IF_ERROR(check_resources(job));
  BOREALIS_RETURN_IF_ERROR(check_dedicated(job));
  BOREALIS_RETURN_IF_ERROR(check_announce(job));
  BOREALIS_RETURN_IF_ERROR(check_sla(job));
  return check_misc(job);
}

}  // namespace borealis::config
