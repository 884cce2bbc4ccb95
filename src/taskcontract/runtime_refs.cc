#include "taskcontract/runtime_refs.h"

#include "template/template.h"

namespace borealis::taskcontract {

namespace {

constexpr std::string_view kPortsPrefix = "thermos.ports[";

std::string braced(const std::string& ref) { return "{{" + ref + "}}"; }

}  // namespace

bool is_runtime_reference(std::string_view ref) {
  if (ref == "thermos.task_id" || ref == "thermos.user" || ref == "mesos.instance" ||
      ref == "mesos.hostname")
    return true;
  if (ref.starts_with(kPortsPrefix) && ref.size() > kPortsPrefix.size() + 1 && ref.back() == ']') {
    std::string_view name = ref.substr(kPortsPrefix.size(), ref.size() - kPortsPrefix.size() - 1);
    return name.find_first_of("[]") == std::string_view::npos;
  }
  return false;
}

Status check_runtime_references(std::string_view text) {
  auto refs = tmpl::references(text);
  if (!refs.ok()) return refs.status();
  for (const auto& ref : *refs) {
    std::string r = ref.to_string();
    if (!is_runtime_reference(r))
      return invalid_argument("unbound reference " + braced(r) + ": only " +
                              std::string(kRuntimeReferenceList) + " are bound at runtime");
  }
  return Status();
}

std::map<std::string, std::string> runtime_bindings(const RuntimeFacts& facts) {
  std::map<std::string, std::string> bindings{
      {"thermos.task_id", facts.task_id},
      {"thermos.user", facts.user},
      {"mesos.instance", std::to_string(facts.instance)},
      {"mesos.hostname", facts.hostname},
  };
  for (const auto& [name, port] : facts.ports)
    bindings[std::string(kPortsPrefix) + name + "]"] = std::to_string(port);
  return bindings;
}

Status bind_runtime_references(LaunchSpec* spec, const std::string& user) {
  tmpl::Resolver resolver = tmpl::map_resolver(runtime_bindings(
      RuntimeFacts{spec->task_id, spec->instance, spec->hostname, user, spec->ports}));
  for (size_t i = 0; i < spec->task.processes.size(); ++i) {
    ProcessSpec& p = spec->task.processes[i];
    std::string where =
        "task.processes[" + std::to_string(i) + "].cmdline (process '" + p.name + "')";
    auto bound = tmpl::interpolate(p.cmdline, resolver);
    if (!bound.ok()) return bound.status().with_context(where);
    if (!bound->unbound.empty()) {
      std::string refs;
      for (const auto& ref : bound->unbound) {
        if (!refs.empty()) refs += ", ";
        refs += braced(ref.to_string());
      }
      return invalid_argument(where + ": unbound reference" +
                              (bound->unbound.size() > 1 ? "s " : " ") + refs);
    }
    p.cmdline = std::move(bound->text);
  }
  return Status();
}

}  // namespace borealis::taskcontract
