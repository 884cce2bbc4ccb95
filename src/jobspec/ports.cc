#include <map>
#include <set>

#include "common/strings.h"
#include "jobspec/job_spec.h"
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
  return name;  // a cycle: leave it, validation names unresolved ports elsewhere
}

bool is_number(const std::string& s) { return parse_int64(s).has_value(); }

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
  std::map<std::string, std::string> portmap;
  if (job.announce) portmap = job.announce->portmap;
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

}  // namespace borealis::jobspec
