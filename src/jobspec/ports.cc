#include "jobspec/ports.h"

#include <map>
#include <set>

#include "common/strings.h"
#include "template/template.h"

namespace borealis::jobspec {

namespace {

// Follows portmap aliases ("aurora" -> "http") to the final name or number.
std::string resolve_alias(const std::map<std::string, std::string>& portmap, std::string name) {
  for (size_t hops = 0; hops <= portmap.size(); ++hops) {
    auto it = portmap.find(name);
    if (it == portmap.end() || it->second == name) return name;
    name = it->second;
  }
  return name;  // a cycle: leave it, check_portmap refuses it
}

bool is_number(const std::string& s) { return parse_int64(s).has_value(); }

// The announcer's portmap, with the default's "{{primary_port}}" bound (the JSON reader
// binds it too; a JobSpec built in code may still hold it).
std::map<std::string, std::string> portmap_of(const JobSpec& job) {
  if (!job.announce) return {};
  std::map<std::string, std::string> out = job.announce->portmap;
  for (auto& [name, target] : out)
    if (target == "{{primary_port}}") target = job.announce->primary_port;
  return out;
}

}  // namespace

std::set<std::string> requested_ports(const JobSpec& job) {
  std::set<std::string> referenced;
  for (const auto& p : job.task.processes) {
    auto refs = tmpl::references(p.cmdline);
    if (!refs.ok()) continue;  // validation reports it
    for (const auto& r : *refs) {
      if (r.path.size() == 3 && r.in_scope("thermos") && r.path[1].text == "ports" &&
          r.path[2].kind == tmpl::RefComponent::Kind::kIndex)
        referenced.insert(r.path[2].text);
    }
  }
  const auto portmap = portmap_of(job);
  std::set<std::string> out;
  for (const auto& [alias, target] : portmap) {
    std::string resolved = resolve_alias(portmap, target);
    if (!is_number(resolved)) out.insert(resolved);
  }
  for (const auto& name : referenced) {
    std::string resolved = resolve_alias(portmap, name);
    if (!is_number(resolved)) out.insert(resolved);
  }
  return out;
}

PortPlan port_plan(const JobSpec& job) {
  PortPlan plan;
  std::set<std::string> dynamic = requested_ports(job);
  plan.dynamic.assign(dynamic.begin(), dynamic.end());
  std::map<int64_t, std::string> holder;  // fixed number -> the name that holds it
  const auto portmap = portmap_of(job);
  for (const auto& [name, target] : portmap) {
    std::string resolved = resolve_alias(portmap, name);
    if (resolved == name) continue;  // 'http': 'http' names itself: a dynamic port
    auto number = parse_int64(resolved);
    if (!number) {
      plan.aliases[name] = resolved;
      continue;
    }
    if (*number < 1 || *number > 65535) continue;  // check_portmap refuses it
    auto [it, first] = holder.emplace(*number, name);
    if (first)
      plan.fixed.emplace_back(name, static_cast<uint16_t>(*number));
    else
      plan.aliases[name] = it->second;
  }
  return plan;
}

std::map<std::string, int64_t> task_port_map(const PortPlan& plan,
                                             const std::map<std::string, int64_t>& held) {
  std::map<std::string, int64_t> out = held;
  for (const auto& [alias, target] : plan.aliases) {
    auto it = held.find(target);
    if (it != held.end()) out.emplace(alias, it->second);
  }
  return out;
}

Status check_portmap(const std::map<std::string, std::string>& portmap) {
  for (const auto& [name, target] : portmap) {
    std::set<std::string> seen = {name};
    for (std::string at = target; portmap.contains(at) && portmap.at(at) != at;
         at = portmap.at(at)) {
      if (!seen.insert(at).second)
        return invalid_argument("announce.portmap: port aliases form a cycle through '" + at + "'");
    }
    auto number = parse_int64(target);
    if (number && (*number < 1 || *number > 65535))
      return invalid_argument("announce.portmap[" + name +
                              "]: a fixed port must be 1..65535, got " + target);
  }
  return Status();
}

}  // namespace borealis::jobspec
