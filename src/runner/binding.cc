#include "runner/binding.h"

#include <map>
#include <string>

#include "template/template.h"

namespace borealis::runner {

Status bind_runtime_references(LaunchSpec* spec, const std::string& user) {
  std::map<std::string, std::string> bindings;
  for (const auto& [name, port] : spec->ports)
    bindings["thermos.ports[" + name + "]"] = std::to_string(port);
  bindings["thermos.task_id"] = spec->task_id;
  bindings["thermos.user"] = user;
  bindings["mesos.instance"] = std::to_string(spec->instance);
  bindings["mesos.hostname"] = spec->hostname;
  tmpl::Resolver resolver = tmpl::map_resolver(std::move(bindings));

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
        refs += "{{" + ref.to_string() + "}}";
      }
      return invalid_argument(where + ": unbound reference" +
                              (bound->unbound.size() > 1 ? "s " : " ") + refs);
    }
    p.cmdline = std::move(bound->text);
  }
  return Status();
}

}  // namespace borealis::runner
